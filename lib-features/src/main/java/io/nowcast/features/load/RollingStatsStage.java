package io.nowcast.features.load;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FusibleStage;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.WindowTerms;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rolling mean and standard deviation of the load over windows ending at issue time (inclusive), in
 * O(n) whatever the window length.
 *
 * <p>Method: one running (unbounded-preceding) sum of {@code x − offset}, of its square and of the
 * count of non-null values per region; a window's sums are the running sums at issue time minus those
 * {@code w/step} rows earlier. A window of {@code w} minutes ending at issue time {@code t} holds the
 * grid instants in {@code (t − w, t]}, i.e. {@code w/step} values. The offset is the first observed
 * load of the series (of the chunk, when FeatureBuilder cuts the series into monthly chunks, see
 * SeriesChunks) — subtracting it keeps the running sums small, so the variance does not lose digits
 * to cancellation; it is taken from the past, so changing later data cannot change it. Sliding frames
 * would recompute every row's aggregate (measured 90x slower on a 7-day window; DESIGN §6).
 *
 * <p>Cost: per window, three running sums at issue time and the same three up to {@code w/step} rows
 * back ({@link SeriesColumns#windowSum}: unbounded-preceding frames, O(n), no pass depends on
 * another, so they share FeatureBuilder's one window pass with the lags); whether the row {@code
 * w/step} back is {@code w} minutes back comes from the shared {@link SeriesColumns#ON_GRID} flag, the
 * offset from {@link SeriesColumns#LOAD_OFFSET}. A 7-day window costs what a 1-hour one does.
 *
 * <p>Invariants: only rows with {@code ts <= issue_ts} contribute; missing values are skipped; a
 * window with fewer than half its values present yields null rather than a noisy estimate; the std is
 * the sample standard deviation (divisor {@code n − 1}) and needs at least two values. Expects the
 * regular grid (RegularGridStage output); where the row {@code w/step} back is not exactly {@code w}
 * minutes earlier, the window's mean and std are null.
 */
public final class RollingStatsStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntArrayParam windowsMinutes =
      new IntArrayParam(this, "windowsMinutes", "window lengths in minutes, ending at issue time");
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public RollingStatsStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(windowsMinutes, new int[] {60});
  }

  public RollingStatsStage() {
    this(Identifiable.randomUID("rollingStats"));
  }

  public IntArrayParam windowsMinutes() {
    return windowsMinutes;
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public RollingStatsStage setWindowsMinutes(int[] value) {
    set(windowsMinutes, value);
    return this;
  }

  public RollingStatsStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public int[] getWindowsMinutes() {
    return $(windowsMinutes);
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return transformAlone(this, dataset, getStepMinutes());
  }

  @Override
  public Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms) {
    Column load = col(SeriesColumns.LOAD);
    Column offset = col(SeriesColumns.LOAD_OFFSET);
    Column x = load.minus(offset);
    Column shifted = coalesce(x, lit(0.0));
    Column squared = coalesce(x.multiply(x), lit(0.0));
    Map<String, Column> stats = new LinkedHashMap<>();
    for (int minutes : getWindowsMinutes()) {
      int rows = minutes / getStepMinutes();
      // Differencing by rows is differencing by time only on a regular grid: where the row w back
      // is not exactly w minutes earlier, the count (and so mean and std) becomes null.
      Column n = SeriesColumns.presentCount(terms, rows);
      Column s1 = SeriesColumns.windowSum(terms, "load_shifted", shifted, rows, lit(0.0));
      Column s2 = SeriesColumns.windowSum(terms, "load_shifted_squared", squared, rows, lit(0.0));
      Column enough = n.geq(Math.max(1, (rows + 1) / 2));
      stats.put(FeatureTable.rollingMean(minutes), when(enough, s1.divide(n).plus(offset)));
      stats.put(
          FeatureTable.rollingStd(minutes),
          when(
              enough.and(n.geq(2)),
              sqrt(greatest(lit(0.0), s2.minus(s1.multiply(s1).divide(n)).divide(n.minus(1))))));
    }
    return stats;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "RollingStatsStage");
    require(schema, SeriesColumns.TS, "RollingStatsStage");
    require(schema, SeriesColumns.LOAD, "RollingStatsStage");
    StructType out = schema;
    for (int minutes : getWindowsMinutes()) {
      if (minutes <= 0 || minutes % getStepMinutes() != 0) {
        throw new IllegalArgumentException(
            "RollingStatsStage: window " + minutes + " min is not a positive multiple of the "
                + getStepMinutes() + "-minute step");
      }
      requireAbsent(out, FeatureTable.rollingMean(minutes), "RollingStatsStage");
      out = out.add(FeatureTable.rollingMean(minutes), DataTypes.DoubleType);
      out = out.add(FeatureTable.rollingStd(minutes), DataTypes.DoubleType);
    }
    return out;
  }

  public static MLReader<RollingStatsStage> read() {
    return new DefaultParamsReader<>();
  }

  public static RollingStatsStage load(String path) {
    return read().load(path);
  }
}
