package io.nowcast.features.load;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FusibleStage;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.WindowTerms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rolling minimum and maximum of the load over windows ending at issue time (inclusive), exact and in
 * O(n) whatever the window length — no sliding frame (Spark recomputes a sliding MIN/MAX frame for
 * every row: 30.6 s for a 2,016-row frame on 2.1M rows, DESIGN §6). Measured here on 210k rows on a
 * shared 2-core machine: 1.3 s for a 7-day window against 1.5 s for a 1-hour one.
 *
 * <p>Method (van Herk / Gil-Werman): for a window of {@code w} minutes ({@code W = w/step} grid
 * instants), time is cut into blocks of {@code w} minutes aligned at the epoch, {@code block(t) =
 * floor(epochSeconds(t) / 60w)}, so every block holds exactly {@code W} grid instants. The window
 * {@code (t − w, t]} is the instants {@code s … t} with {@code s = t − w + step}; it spans at most two
 * blocks, the end of {@code block(s)} and the beginning of {@code block(t)}, so
 *
 * <pre>  min(s … t) = min(suffixMin(s), prefixMin(t))</pre>
 *
 * where {@code prefixMin(t)} is the minimum of {@code block(t)} up to {@code t} (a running aggregate
 * forward in time) and {@code suffixMin(s)} the minimum of {@code block(s)} from {@code s} on (a
 * running aggregate backward in time), read at {@code t} from the row {@code W − 1} back (where the
 * series starts after {@code s}: the suffix at the series' first row). Both running aggregates restart
 * at block boundaries without partitioning by block, because a struct compares its block first:
 * forward, the running MIN of {@code struct(−block, x)} is the minimum over the latest block seen, the
 * row's own, and MAX of {@code struct(block, x)} its maximum; backward, MIN of {@code struct(block,
 * x)} and MAX of {@code struct(−block, x)}. The struct carries its block, so "no value in this block
 * yet" is told from a value. The backward structs become plain doubles (the row's own block's suffix,
 * or null) right after their pass, so the forward pass reads {@code suffixMin(s)} with a lag of a
 * double (structs cost a copy per row in Spark's window buffers and output rows). Every aggregate is
 * an unbounded-preceding running one (O(1) per row) or a lag, so the cost is the same for 15 minutes
 * and 7 days.
 *
 * <p>The backward pass is the one window of the feature set ordered by {@code ts DESC}: {@code
 * suffixMin(s)} covers {@code s} to the end of {@code block(s)}, which is never after {@code t}, and is
 * read only at {@code t}; so, as for every feature, the value at issue time depends on data at or
 * before issue time only (the leakage test checks it). The windows share one backward and two forward
 * window passes (one extra sort each way); place this stage first in a pipeline, where rows are narrow.
 * In FeatureBuilder the forward terms join the one window pass all stages share ({@link FusibleStage}).
 *
 * <p>Cost: the backward pass is the only second sort of the feature path (a suffix cannot be had
 * from forward running aggregates, and Spark's "current row to unbounded following" frame recomputes
 * per row). Whether the rows {@code W − 1} and {@code W} back are that far back in time, and whether
 * the series starts inside the window, come from the shared grid helpers ({@link
 * SeriesColumns#ON_GRID}, {@link SeriesColumns#ROW}) and one shared {@code first(ts)} term, not from
 * a {@code lag(ts)} per window.
 *
 * <p>Invariants: only rows with {@code ts <= issue_ts} contribute; missing values are skipped; like the
 * rolling mean, a window with fewer than half its values present yields null; where the series starts
 * inside the window the rows that exist count. Expects the regular grid (RegularGridStage output):
 * where the rows {@code W − 1} or {@code W} back are not exactly that far back in time, min and max are
 * null, never a value from another window.
 */
public final class RollingExtremaStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntArrayParam windowsMinutes =
      new IntArrayParam(this, "windowsMinutes", "window lengths in minutes, ending at issue time");
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public RollingExtremaStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(windowsMinutes, new int[] {60});
  }

  public RollingExtremaStage() {
    this(Identifiable.randomUID("rollingExtrema"));
  }

  public IntArrayParam windowsMinutes() {
    return windowsMinutes;
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public RollingExtremaStage setWindowsMinutes(int[] value) {
    set(windowsMinutes, value);
    return this;
  }

  public RollingExtremaStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public int[] getWindowsMinutes() {
    return $(windowsMinutes);
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  /** {@code floor(epochSeconds(ts + shiftMinutes) / 60w)}: the w-minute block of the row's instant. */
  private static Column block(int windowMinutes, int shiftMinutes) {
    return block(col(SeriesColumns.TS), windowMinutes, shiftMinutes);
  }

  /** {@code floor(epochSeconds(ts + shiftMinutes) / 60w)}: the w-minute block of {@code ts}. */
  private static Column block(Column ts, int windowMinutes, int shiftMinutes) {
    Column seconds = unix_seconds(ts);
    if (shiftMinutes != 0) {
      seconds = seconds.plus(60L * shiftMinutes);
    }
    return floor(seconds.divide(60L * windowMinutes));
  }

  /** The value as a (block, value) struct, or null where the value is missing. */
  private static Column keyed(Column block, Column value) {
    return when(value.isNotNull(), struct(block.as("b"), value.as("v")));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return transformAlone(this, dataset, getStepMinutes());
  }

  /**
   * Pass 1, backward in time: suffix min/max of each row's block. MIN of (block, x) keeps the
   * smallest block seen so far (the row's own block, going backward) and its smallest value; MAX of
   * (−block, x) the same block and its largest value. Right after the pass, each struct becomes a
   * plain double: its value where its block is the row's own, else null (no value from the row to
   * its block's end), so the forward pass lags doubles, not structs. Runs before the grid helpers, so
   * their forward window then shares the forward pass's sort.
   */
  @Override
  public Dataset<Row> prepare(Dataset<Row> input) {
    WindowSpec backward = SeriesColumns.backward(input);
    Column load = col(SeriesColumns.LOAD);
    Map<String, Column> keyedSuffixes = new LinkedHashMap<>();
    for (int w : getWindowsMinutes()) {
      keyedSuffixes.put(keyedSuffix("min", w), min(keyed(block(w, 0), load)).over(backward));
      keyedSuffixes.put(keyedSuffix("max", w), max(keyed(block(w, 0).multiply(-1), load)).over(backward));
    }
    Map<String, Column> suffixes = new LinkedHashMap<>();
    for (int w : getWindowsMinutes()) {
      suffixes.put(suffix("min", w), part(col(keyedSuffix("min", w)), block(w, 0)));
      suffixes.put(suffix("max", w), part(col(keyedSuffix("max", w)), block(w, 0).multiply(-1)));
    }
    return withColumnsInOrder(withColumnsInOrder(input, keyedSuffixes), suffixes)
        .drop(keyedSuffixes.keySet().toArray(new String[0]));
  }

  /**
   * Pass 2, forward, and the combination: prefix min/max of the current block, the count of values in
   * the window, and the suffix at the window's first instant {@code s = t − w + step}; the count rule
   * and the alignment checks decide null. Every term reads input columns only, so these columns join
   * FeatureBuilder's one forward window pass.
   */
  @Override
  public Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms) {
    int step = getStepMinutes();
    Column load = col(SeriesColumns.LOAD);
    Map<String, Column> extrema = new LinkedHashMap<>();
    for (int w : getWindowsMinutes()) {
      int rows = w / step;
      Column current = block(w, 0);
      Column start = block(w, step - w);
      Column n = SeriesColumns.presentCount(terms, rows);
      Column enough = n.geq(Math.max(1, (rows + 1) / 2));
      Column prefixMin = part(
          terms.running("prefix_min_" + w, min(keyed(current.multiply(-1), load))), current.multiply(-1));
      Column prefixMax = part(terms.running("prefix_max_" + w, max(keyed(current, load))), current);
      Column suffixMin = atWindowStart(suffix("min", w), w, step, start, terms);
      Column suffixMax = atWindowStart(suffix("max", w), w, step, start, terms);
      extrema.put(FeatureTable.rollingMin(w), when(enough, least(suffixMin, prefixMin)));
      extrema.put(FeatureTable.rollingMax(w), when(enough, greatest(suffixMax, prefixMax)));
    }
    return extrema;
  }

  @Override
  public List<String> helperColumns() {
    List<String> helpers = new ArrayList<>();
    for (int w : getWindowsMinutes()) {
      helpers.add(suffix("min", w));
      helpers.add(suffix("max", w));
    }
    return helpers;
  }

  private static String suffix(String kind, int windowMinutes) {
    return "_sfx_" + kind + "_" + windowMinutes;
  }

  private static String keyedSuffix(String kind, int windowMinutes) {
    return "_sfx_keyed_" + kind + "_" + windowMinutes;
  }

  /** The value of a (block, value) struct when its block is {@code block}, else null. */
  private static Column part(Column keyed, Column block) {
    return when(keyed.getField("b").equalTo(block), keyed.getField("v"));
  }

  /**
   * The suffix of {@code block(s)} from the window's first instant {@code s} on: the row {@code W −
   * 1} back, which is at {@code s} itself wherever the count is not null (the grid check); where the
   * series starts after {@code s}, the suffix at the series' first row, which covers the window's
   * part of {@code block(s)} when that row lies in {@code block(s)} ({@code startBlock}), and is
   * null otherwise (the window's part of {@code block(s)} is empty).
   */
  private static Column atWindowStart(String suffix, int w, int step, Column startBlock, WindowTerms terms) {
    int rows = w / step - 1;
    if (rows == 0) {
      return col(suffix);
    }
    Column firstRowInStartBlock =
        block(terms.first(SeriesColumns.TS, col(SeriesColumns.TS)), w, 0).equalTo(startBlock);
    return when(SeriesColumns.withinFirstRows(rows), when(firstRowInStartBlock, terms.first(suffix, col(suffix))))
        .otherwise(terms.lag(suffix, col(suffix), rows));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "RollingExtremaStage");
    require(schema, SeriesColumns.TS, "RollingExtremaStage");
    require(schema, SeriesColumns.LOAD, "RollingExtremaStage");
    StructType out = schema;
    for (int minutes : getWindowsMinutes()) {
      if (minutes <= 0 || minutes % getStepMinutes() != 0) {
        throw new IllegalArgumentException(
            "RollingExtremaStage: window " + minutes + " min is not a positive multiple of the "
                + getStepMinutes() + "-minute step");
      }
      requireAbsent(out, FeatureTable.rollingMin(minutes), "RollingExtremaStage");
      out = out.add(FeatureTable.rollingMin(minutes), DataTypes.DoubleType);
      requireAbsent(out, FeatureTable.rollingMax(minutes), "RollingExtremaStage");
      out = out.add(FeatureTable.rollingMax(minutes), DataTypes.DoubleType);
    }
    return out;
  }

  public static MLReader<RollingExtremaStage> read() {
    return new DefaultParamsReader<>();
  }

  public static RollingExtremaStage load(String path) {
    return read().load(path);
  }
}
