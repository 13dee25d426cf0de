package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_seconds;

import io.nowcast.features.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cuts each region's grid series into monthly chunks with a halo, so the window passes run on many
 * small (month, region) window partitions instead of one long one per region (each window buffers one
 * chunk, ~11k rows), and so their output is already grouped by the month the feature table is
 * partitioned by. The chunks do not add an exchange: rows arrive hashed by region, which already
 * satisfies the (month, region) clustering, so Spark's tasks stay split by region.
 *
 * <p>A chunk {@code m} of a region holds the rows of month {@code m} (UTC) plus the rows up to {@code
 * lookbackMinutes} before the month (the halo the lags and windows read) and up to {@code
 * lookaheadMinutes} after it (the targets' leads). Every row is copied into each chunk whose span
 * covers it ({@link #cut}); after the stages, each row is kept only in its own month's chunk ({@link
 * #keepOwn}). With a halo at least as long as the longest lag, delta and window, and a look-ahead at
 * least the longest horizon, a kept row's lags, windows and targets read exactly the rows they would
 * in the whole series; only the running sums behind the rolling mean and std restart in each chunk
 * (with their own offset), which changes their last bits of rounding, not their meaning. The cut
 * depends on the stamps only, never on Spark's partitioning, so the output stays bit-for-bit the same
 * for any partitioning of the input.
 *
 * <p>Cost: the halo copies about {@code lookback / month} of the rows (7 days: ~23%), far less than
 * the sort and the shuffle of whole regions it saves.
 */
public final class SeriesChunks {
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final String CHUNK_START = "_chunk_start";

  private SeriesChunks() {}

  /** How far back any stage of {@code spec} reads: its longest lag, delta, window or weather delta. */
  public static int lookbackMinutes(FeatureSpec spec) {
    int longest = spec.stepMinutes();
    for (List<Integer> minutes :
        List.of(spec.lagMinutes(), spec.deltaMinutes(), spec.windowMinutes(), spec.weatherDeltaMinutes())) {
      for (int m : minutes) {
        longest = Math.max(longest, m);
      }
    }
    return longest;
  }

  /** How far ahead any stage of {@code spec} reads: its longest horizon (targets, weather at target). */
  public static int lookaheadMinutes(FeatureSpec spec) {
    return spec.horizons().stream().mapToInt(Integer::intValue).max().orElse(spec.stepMinutes());
  }

  /** Adds {@link SeriesColumns#CHUNK}: one copy of each row per month chunk whose span covers it. */
  public static Dataset<Row> cut(Dataset<Row> series, int lookbackMinutes, int lookaheadMinutes) {
    Column first = trunc(utcDate(col(SeriesColumns.TS), -60L * lookaheadMinutes), "MM");
    Column last = trunc(utcDate(col(SeriesColumns.TS), 60L * lookbackMinutes), "MM");
    Column months = sequence(first, last, expr("INTERVAL 1 MONTH"));
    // A generator cannot be nested in an expression: explode to the month's first day, then name it.
    List<Column> columns = new ArrayList<>();
    for (String name : series.columns()) {
      columns.add(col(name));
    }
    columns.add(monthOf(col(CHUNK_START)).as(SeriesColumns.CHUNK));
    return series.select(col("*"), explode(months).as(CHUNK_START)).select(columns.toArray(new Column[0]));
  }

  /** Keeps each row only in the chunk of its own month (drops the halo copies). */
  public static Dataset<Row> keepOwn(Dataset<Row> chunked) {
    return chunked.where(col(SeriesColumns.CHUNK).equalTo(utcMonth(col(SeriesColumns.TS))));
  }

  /**
   * {@code yyyy-MM} of {@code ts} in UTC, whatever the session time zone ({@code date_format} would
   * use the session zone): the UTC date from epoch days, cast to its ISO string.
   */
  public static Column utcMonth(Column ts) {
    return monthOf(utcDate(ts, 0));
  }

  /** The UTC date of {@code ts + shiftSeconds}, from epoch days (no session time zone involved). */
  private static Column utcDate(Column ts, long shiftSeconds) {
    Column seconds = shiftSeconds == 0 ? unix_seconds(ts) : unix_seconds(ts).plus(shiftSeconds);
    return date_from_unix_date(floor(seconds.divide(SECONDS_PER_DAY)).cast("int"));
  }

  /** {@code yyyy-MM} of a DATE. */
  private static Column monthOf(Column date) {
    return substring(date.cast("string"), 1, 7);
  }
}
