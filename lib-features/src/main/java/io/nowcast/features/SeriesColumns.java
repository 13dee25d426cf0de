package io.nowcast.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Column names of the per-region grid series the stages read, its one window ordering, and the
 * row-offset helpers that make lags, leads and window starts cheap.
 *
 * <p><b>One ordering.</b> Every stage orders by {@link #ordered}: {@code partitionBy([month,]
 * region).orderBy(ts)}. Spark sorts once for all window passes that share it (adjacent Window
 * operators with one spec need no new sort or exchange). When the input has a {@link #CHUNK} column
 * (FeatureBuilder cuts each region's series into monthly chunks with a halo, see {@link
 * SeriesChunks}), the window partition is (month, region): many small window buffers instead of one
 * region-long one, and the output comes out ordered by month, which the month-partitioned Parquet
 * writer then needs no sort for.
 *
 * <p><b>Row offsets are time offsets.</b> On the regular grid, the row {@code k/step} back is
 * exactly {@code k} minutes earlier. Rather than checking that with a {@code lag(ts, k)} per lag (a
 * second window function for each one), one helper column {@link #ON_GRID} says, per row, whether
 * the series up to that row is consecutive grid instants: the row number equals the number of steps
 * since the first row plus one. Where it holds, every row before is exactly where the grid puts it,
 * so {@code lag(x, k)} is the value {@code k} minutes earlier (or null: before the series start);
 * where it does not (input that is not a regular grid), lags are null, never a value from another
 * time. Window functions take plain columns as arguments, so Spark evaluates the lags and leads of
 * several stages in few window passes.
 */
public final class SeriesColumns {
  public static final String REGION = "region";
  public static final String TS = "ts";
  public static final String LOAD = "load_mw";
  /** Optional chunk key of the series (a {@code yyyy-MM} month): partitions the windows with region. */
  public static final String CHUNK = FeatureTable.MONTH;
  /** Helper: 1-based row number within the (chunk and) region, in time order. */
  public static final String ROW = "_row";
  /** Helper: true where the series up to this row is consecutive grid instants. */
  public static final String ON_GRID = "_on_grid";
  /**
   * Helper: the first non-null load of the (chunk of the) series up to this row, the offset the
   * rolling mean/std subtract before their running sums (a value from the past only).
   */
  public static final String LOAD_OFFSET = "_load_offset";

  private static final long MICROS_PER_MINUTE = 60_000_000L;

  private SeriesColumns() {}

  /**
   * {@code partitionBy([month,] region).orderBy(ts)}: on the regular grid, row offsets are time
   * offsets, and the (region, ts) key is unique, so results never depend on row order inside
   * partitions.
   */
  public static WindowSpec ordered(Dataset<?> frame) {
    return hasColumn(frame, CHUNK)
        ? Window.partitionBy(col(CHUNK), col(REGION)).orderBy(col(TS))
        : Window.partitionBy(col(REGION)).orderBy(col(TS));
  }

  /** {@link #ordered} with the running frame (unbounded preceding to the current row). */
  public static WindowSpec running(Dataset<?> frame) {
    return ordered(frame).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
  }

  /** {@link #ordered} backward in time, running frame (for suffix passes). */
  public static WindowSpec backward(Dataset<?> frame) {
    WindowSpec spec = hasColumn(frame, CHUNK)
        ? Window.partitionBy(col(CHUNK), col(REGION)).orderBy(col(TS).desc())
        : Window.partitionBy(col(REGION)).orderBy(col(TS).desc());
    return spec.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
  }

  /** Microseconds since the epoch of the series stamp (time-zone free). */
  public static Column tsMicros() {
    return unix_micros(col(TS));
  }

  /**
   * Adds {@link #ROW}, {@link #ON_GRID} and, when the frame has a load, {@link #LOAD_OFFSET}, unless
   * the frame has them already (one window pass over the shared ordering). FeatureBuilder adds them
   * once for all stages; a stage used alone adds them itself and drops them again.
   */
  public static Dataset<Row> withGridCheck(Dataset<Row> frame, int stepMinutes) {
    if (hasColumn(frame, ON_GRID)) {
      return frame;
    }
    WindowSpec ordered = ordered(frame);
    Column row = row_number().over(ordered);
    Column sinceFirst = tsMicros().minus(unix_micros(first(col(TS)).over(running(frame))));
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    columns.add(row.as(ROW));
    columns.add(sinceFirst.equalTo(row.minus(1).multiply(stepMinutes * MICROS_PER_MINUTE)).as(ON_GRID));
    if (hasColumn(frame, LOAD)) {
      columns.add(first(col(LOAD), true).over(running(frame)).as(LOAD_OFFSET));
    }
    return frame.select(columns.toArray(new Column[0]));
  }

  /** Drops the helpers {@link #withGridCheck} added, unless {@code input} had them already. */
  public static Dataset<Row> dropGridCheck(Dataset<Row> frame, Dataset<?> input) {
    return hasColumn(input, ON_GRID) ? frame : frame.drop(ROW, ON_GRID, LOAD_OFFSET);
  }

  /**
   * The sum of {@code value} (named {@code valueName}) over the {@code rows} rows ending at the
   * current one, as the running sum at this row minus the running sum {@code rows} back ({@code
   * zero} before the series start). Both terms are unbounded-preceding frames, which Spark evaluates
   * in O(n) (a sliding frame would re-aggregate every row's whole window), and neither depends on
   * another window's result, so the differenced sums of every window share one window pass with the
   * lags; through {@code terms}, every window of every stage shares the one running sum of a value.
   */
  public static Column windowSum(WindowTerms terms, String valueName, Column value, int rows, Column zero) {
    return terms.runningSum(valueName, value).minus(coalesce(terms.sumUpToRowsBack(valueName, value, rows), zero));
  }

  /**
   * How many loads are present in the {@code rows} rows ending at the current one; null where the row
   * {@code rows} back is not exactly that far back in time ({@link #windowStartAligned}). The rolling
   * mean/std and min/max share it through {@code terms}.
   */
  public static Column presentCount(WindowTerms terms, int rows) {
    Column present = when(col(LOAD).isNotNull(), 1L).otherwise(0L);
    return when(windowStartAligned(), windowSum(terms, "load_present", present, rows, lit(0L)));
  }

  /**
   * {@code value} (named {@code valueName}) exactly {@code minutes} before the current row's stamp:
   * {@code minutes/step} rows back where the series is on the grid up to here ({@link #ON_GRID}, needs
   * {@link #withGridCheck}); null before the series start or where it is not a regular grid.
   */
  public static Column earlier(WindowTerms terms, String valueName, Column value, int minutes, int stepMinutes) {
    return when(col(ON_GRID), terms.lag(valueName, value, minutes / stepMinutes));
  }

  /**
   * {@code value} (named {@code valueName}) exactly {@code minutes} after the current row's stamp:
   * the row {@code minutes/step} ahead, where the series is on the grid up to that row; null
   * otherwise.
   */
  public static Column later(WindowTerms terms, String valueName, Column value, int minutes, int stepMinutes) {
    int rows = minutes / stepMinutes;
    return when(terms.lead(ON_GRID, col(ON_GRID), rows), terms.lead(valueName, value, rows));
  }

  /**
   * Whether the row {@code minutes/step} back is absent (the series starts later) or exactly {@code
   * minutes} earlier: on the grid, both hold wherever {@link #ON_GRID} does.
   */
  public static Column windowStartAligned() {
    return col(ON_GRID);
  }

  /** Whether the row {@code rows} back is absent (the current row is one of the first {@code rows}). */
  public static Column withinFirstRows(int rows) {
    return col(ROW).leq(lit(rows));
  }

  /** Whether {@code frame} has a column named {@code name}. */
  public static boolean hasColumn(Dataset<?> frame, String name) {
    return Arrays.asList(frame.columns()).contains(name);
  }
}
