package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Column names of the per-region grid series the stages read, and its one window ordering.
 *
 * <p>Window functions here take plain columns as arguments ({@code lag(ts)}, never {@code
 * lag(unix_micros(ts))}): then Spark's optimizer (CollapseWindow) can evaluate the lags and leads of
 * several stages in one window pass over the rows instead of one pass per stage.
 */
public final class SeriesColumns {
  public static final String REGION = "region";
  public static final String TS = "ts";
  public static final String LOAD = "load_mw";

  private static final long MICROS_PER_MINUTE = 60_000_000L;

  private SeriesColumns() {}

  /**
   * {@code partitionBy(region).orderBy(ts)}: on the regular grid, row offsets are time offsets, and
   * the (region, ts) key is unique, so results never depend on row order inside partitions.
   */
  public static WindowSpec byRegionInTime() {
    return Window.partitionBy(REGION).orderBy(TS);
  }

  /** Microseconds since the epoch of the series stamp (time-zone free). */
  public static Column tsMicros() {
    return unix_micros(col(TS));
  }

  /**
   * {@code value} at exactly {@code minutes} before the current row's stamp, read {@code minutes/step}
   * rows back; null when that row is absent or is not exactly that far back in time (so a lag stays
   * a lag in time even on input that is not a regular grid).
   */
  public static Column earlier(Column value, int minutes, int stepMinutes) {
    WindowSpec window = byRegionInTime();
    int rows = minutes / stepMinutes;
    Column gap = tsMicros().minus(unix_micros(lag(col(TS), rows).over(window)));
    return when(gap.equalTo(minutes * MICROS_PER_MINUTE), lag(value, rows).over(window));
  }

  /** {@code value} at exactly {@code minutes} after the current row's stamp; null otherwise. */
  public static Column later(Column value, int minutes, int stepMinutes) {
    WindowSpec window = byRegionInTime();
    int rows = minutes / stepMinutes;
    Column gap = unix_micros(lead(col(TS), rows).over(window)).minus(tsMicros());
    return when(gap.equalTo(minutes * MICROS_PER_MINUTE), lead(value, rows).over(window));
  }

  /**
   * True where the row {@code minutes/step} rows back is absent (the window starts before the series)
   * or is exactly {@code minutes} earlier; false where the input is irregular there.
   */
  public static Column windowStartAligned(int minutes, int stepMinutes) {
    int rows = minutes / stepMinutes;
    Column previous = unix_micros(lag(col(TS), rows).over(byRegionInTime()));
    return previous.isNull().or(tsMicros().minus(previous).equalTo(minutes * MICROS_PER_MINUTE));
  }
}
