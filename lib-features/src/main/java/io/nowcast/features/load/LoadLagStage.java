package io.nowcast.features.load;

import static org.apache.spark.sql.functions.col;

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
 * Adds the load at issue time ({@code load_now}) and the load {@code k} minutes earlier
 * ({@code load_lag_<k>m}) for each configured lag.
 *
 * <p>Invariants: lags are whole grid steps ≥ 1 step, so never ahead of issue time; on the regular grid a
 * lag of {@code k/step} rows is exactly {@code k} minutes of real time, also across DST (the grid is
 * UTC), and the stage checks it: where the row {@code k/step} back is not exactly {@code k} minutes
 * earlier (input that is not a regular grid) the lag is null, never a value from another time; a
 * missing value stays null.
 *
 * <p>Cost: one {@code lag(load, k/step)} per lag, all in one window pass over the shared ordering;
 * whether the row is really {@code k} minutes back comes from the one {@link SeriesColumns#ON_GRID}
 * flag, not from a second {@code lag(ts)} per lag (which doubled the window functions).
 */
public final class LoadLagStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds a stage's params through its public no-argument methods returning a Param (not
  // through fields), so each param has an accessor of its own name.
  private final IntArrayParam lagsMinutes =
      new IntArrayParam(this, "lagsMinutes", "lags in minutes before issue time");
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public LoadLagStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(lagsMinutes, new int[] {5});
  }

  public LoadLagStage() {
    this(Identifiable.randomUID("loadLag"));
  }

  public IntArrayParam lagsMinutes() {
    return lagsMinutes;
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public LoadLagStage setLagsMinutes(int[] value) {
    set(lagsMinutes, value);
    return this;
  }

  public LoadLagStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public int[] getLagsMinutes() {
    return $(lagsMinutes);
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
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put(FeatureTable.LOAD_NOW, col(SeriesColumns.LOAD));
    for (int minutes : getLagsMinutes()) {
      columns.put(
          FeatureTable.lag(minutes),
          SeriesColumns.earlier(terms, SeriesColumns.LOAD, col(SeriesColumns.LOAD), minutes, getStepMinutes()));
    }
    return columns;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "LoadLagStage");
    require(schema, SeriesColumns.TS, "LoadLagStage");
    require(schema, SeriesColumns.LOAD, "LoadLagStage");
    StructType out = schema;
    requireAbsent(out, FeatureTable.LOAD_NOW, "LoadLagStage");
    out = out.add(FeatureTable.LOAD_NOW, DataTypes.DoubleType);
    for (int minutes : getLagsMinutes()) {
      if (minutes <= 0 || minutes % getStepMinutes() != 0) {
        throw new IllegalArgumentException(
            "LoadLagStage: lag " + minutes + " min is not a positive multiple of the "
                + getStepMinutes() + "-minute step");
      }
      requireAbsent(out, FeatureTable.lag(minutes), "LoadLagStage");
      out = out.add(FeatureTable.lag(minutes), DataTypes.DoubleType);
    }
    return out;
  }

  public static MLReader<LoadLagStage> read() {
    return new DefaultParamsReader<>();
  }

  public static LoadLagStage load(String path) {
    return read().load(path);
  }
}
