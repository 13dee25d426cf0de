package io.nowcast.ingest.quality;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.calendar.LocalClock;
import io.nowcast.ingest.contract.RawLoadTable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Marks every raw load row with the checks it fails; Column expressions and windows only (no UDF, no
 * RDD, no collect). Adds {@link #DAY} (UTC day), {@link #SECONDS} (epoch seconds of ts) and boolean flags;
 * {@link #Z} is the robust z-score (null without a usable reference).
 *
 * <ul>
 *   <li>Duplicates: per region and instant the first row by (latest {@code ingested_at}, largest load,
 *       source) is kept, the others are {@link #DUPLICATE}; every other check looks at kept rows only.
 *   <li>Impossible: load ≤ 0, load above {@code max_mw}, or a one-reading spike/dip: the reading differs
 *       from each adjacent reading (one step away, itself plausible) by more than {@code max_jump_ratio} of
 *       that reading. Requiring both sides keeps the good reading after a spike from being flagged.
 *   <li>Flatline: a run of readings at consecutive grid instants with exactly the same load, spanning
 *       (first to last instant plus one step) at least {@code min_hours}; every reading of the run is
 *       flagged.
 *   <li>Outliers: the reference of a reading is every plausible reading of the same region at the same
 *       local hour of the same local weekday in the K weeks before (hourly arrays gathered by a window over
 *       one row per region and local hour, so the cost is linear); z = 0.6745 (x − median) / MAD (Iglewicz
 *       and Hoaglin's modified z-score). No test without {@code min_reference} readings or with MAD = 0.
 *       Local time, because the daily cycle follows the clock people live by (a UTC hour shifts by one
 *       across DST). Impossible readings are not tested again.
 * </ul>
 */
final class RowFlags {
  static final String DAY = "q_day";
  static final String SECONDS = "q_s";
  static final String DUPLICATE = "q_duplicate";
  static final String NONPOSITIVE = "q_nonpositive";
  static final String ABOVE_CAP = "q_above_cap";
  static final String JUMP = "q_jump";
  static final String IMPOSSIBLE = "q_impossible";
  static final String FLATLINE = "q_flatline";
  static final String Z = "q_z";
  static final String OUTLIER = "q_outlier";

  private static final String PREV_S = "q_prev_s";
  private static final String PREV_LOAD = "q_prev_load";
  private static final String NEXT_S = "q_next_s";
  private static final String NEXT_LOAD = "q_next_load";
  private static final String RUN = "q_run";
  private static final String RUN_SECONDS = "q_run_s";
  private static final String LOCAL_DAY = "q_local_day";
  private static final String LOCAL_HOUR = "q_local_hour";
  private static final String VALUES = "q_values";
  private static final String REFERENCE = "q_reference";
  private static final String MEDIAN = "q_median";
  private static final String MAD = "q_mad";
  private static final String REFERENCE_SIZE = "q_reference_size";
  /** Iglewicz and Hoaglin: makes the MAD of normal data estimate its standard deviation. */
  private static final double MAD_TO_SIGMA = 0.6745;

  private RowFlags() {}

  /** The UTC calendar day of {@code ts}, whatever the session time zone. */
  static Column utcDay(Column ts) {
    return date_from_unix_date(floor(unix_seconds(ts).divide(86_400)).cast("int"));
  }

  static Dataset<Row> flag(Dataset<Row> raw, QualitySettings settings, Map<String, ZoneId> zones) {
    long step = settings.stepMinutes() * 60L;
    List<String> columns = List.of(raw.columns());
    List<Column> order = new ArrayList<>(List.of(col(RawLoadTable.TS).asc()));
    if (columns.contains(RawLoadTable.INGESTED_AT)) {
      order.add(col(RawLoadTable.INGESTED_AT).desc_nulls_last());
    }
    order.add(col(RawLoadTable.LOAD_MW).desc_nulls_last());
    if (columns.contains(RawLoadTable.SOURCE)) {
      order.add(col(RawLoadTable.SOURCE).asc());
    }
    WindowSpec byInstant = Window.partitionBy(RawLoadTable.REGION).orderBy(order.toArray(Column[]::new));
    Dataset<Row> rows =
        raw.withColumn(SECONDS, unix_seconds(col(RawLoadTable.TS)))
            .withColumn(DAY, utcDay(col(RawLoadTable.TS)))
            .withColumn(
                DUPLICATE, coalesce(lag(col(SECONDS), 1).over(byInstant).equalTo(col(SECONDS)), lit(false)));

    Column kept = not(col(DUPLICATE));
    Dataset<Row> readings = valueFlags(rows.where(kept.and(col(RawLoadTable.LOAD_MW).isNotNull())), settings, step);
    readings = outliers(readings, settings, zones);
    Dataset<Row> others = rows.where(not(kept.and(col(RawLoadTable.LOAD_MW).isNotNull())));
    Dataset<Row> all = readings.unionByName(others, true);
    for (String flag : List.of(NONPOSITIVE, ABOVE_CAP, JUMP, IMPOSSIBLE, FLATLINE, OUTLIER)) {
      all = all.withColumn(flag, coalesce(col(flag), lit(false)));
    }
    return all;
  }

  /** Impossible values and flatlines: one pass over each region's readings in time order. */
  private static Dataset<Row> valueFlags(Dataset<Row> readings, QualitySettings s, long step) {
    WindowSpec byTime = Window.partitionBy(RawLoadTable.REGION).orderBy(RawLoadTable.TS);
    Column load = col(RawLoadTable.LOAD_MW);
    Dataset<Row> withNeighbours =
        readings
            .withColumn(PREV_S, lag(col(SECONDS), 1).over(byTime))
            .withColumn(PREV_LOAD, lag(load, 1).over(byTime))
            .withColumn(NEXT_S, lead(col(SECONDS), 1).over(byTime))
            .withColumn(NEXT_LOAD, lead(load, 1).over(byTime))
            .withColumn(NONPOSITIVE, load.leq(0))
            .withColumn(ABOVE_CAP, load.gt(s.maxMw()));
    Column plausible = not(col(NONPOSITIVE)).and(not(col(ABOVE_CAP)));
    Column hasPrev = adjacent(col(PREV_S), col(SECONDS).minus(step), col(PREV_LOAD), s);
    Column hasNext = adjacent(col(NEXT_S), col(SECONDS).plus(step), col(NEXT_LOAD), s);
    Column jumpPrev = abs(load.minus(col(PREV_LOAD))).gt(col(PREV_LOAD).multiply(s.maxJumpRatio()));
    Column jumpNext = abs(load.minus(col(NEXT_LOAD))).gt(col(NEXT_LOAD).multiply(s.maxJumpRatio()));
    Column jump =
        plausible
            .and(hasPrev.or(hasNext))
            .and(not(hasPrev).or(jumpPrev))
            .and(not(hasNext).or(jumpNext));
    // A run starts wherever the previous reading is not one step earlier or differs.
    Column continues = col(PREV_S).equalTo(col(SECONDS).minus(step)).and(col(PREV_LOAD).equalTo(load));
    Dataset<Row> flagged =
        withNeighbours
            .withColumn(JUMP, jump)
            .withColumn(IMPOSSIBLE, col(NONPOSITIVE).or(col(ABOVE_CAP)).or(col(JUMP)))
            .withColumn(
                RUN,
                sum(when(coalesce(continues, lit(false)), 0).otherwise(1))
                    .over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
    // HashPartitioning(region) already satisfies a (region, run) window: only a sort, no shuffle.
    WindowSpec byRun = Window.partitionBy(RawLoadTable.REGION, RUN);
    return flagged
        .withColumn(RUN_SECONDS, max(col(SECONDS)).over(byRun).minus(min(col(SECONDS)).over(byRun)).plus(step))
        .withColumn(FLATLINE, col(RUN_SECONDS).geq(Math.round(s.flatlineMinHours() * 3600)))
        .drop(PREV_S, PREV_LOAD, NEXT_S, NEXT_LOAD, RUN, RUN_SECONDS);
  }

  /** The neighbour exists exactly one step away and is itself plausible. */
  private static Column adjacent(Column neighbourS, Column expectedS, Column neighbourLoad, QualitySettings s) {
    return coalesce(
        neighbourS.equalTo(expectedS).and(neighbourLoad.gt(0)).and(neighbourLoad.leq(s.maxMw())), lit(false));
  }

  /** Robust z-scores against the same local hour and weekday of the previous K weeks. */
  private static Dataset<Row> outliers(Dataset<Row> readings, QualitySettings s, Map<String, ZoneId> zones) {
    Map<String, String> zoneIds = new TreeMap<>();
    zones.forEach((region, zone) -> zoneIds.put(region, zone.getId()));
    Column localSeconds = LocalClock.localSeconds(col(RawLoadTable.TS), col(RawLoadTable.REGION), zoneIds, "UTC");
    Dataset<Row> local =
        readings
            .withColumn(LOCAL_DAY, floor(localSeconds.divide(86_400)))
            .withColumn(LOCAL_HOUR, floor(pmod(localSeconds, lit(86_400L)).divide(3600)));

    Dataset<Row> hourly =
        local.where(not(col(IMPOSSIBLE)))
            .groupBy(RawLoadTable.REGION, LOCAL_DAY, LOCAL_HOUR)
            .agg(collect_list(col(RawLoadTable.LOAD_MW)).as(VALUES));
    // One row per region, local day and hour: the frame holds the same weekday's rows of the K weeks
    // before (day numbers 7, 14, ... 7K earlier), at most K rows.
    WindowSpec sameHourBefore =
        Window.partitionBy(col(RawLoadTable.REGION), col(LOCAL_HOUR), pmod(col(LOCAL_DAY), lit(7L)))
            .orderBy(LOCAL_DAY)
            .rangeBetween(-7L * s.outlierWeeks(), -1L);
    // sort_array, not array_sort: array_sort without a comparator still evaluates its default comparator
    // lambda, interpreted, on every comparison (8 % of the quality stage's task samples on 5 NYISO years);
    // sort_array is generated code that sorts a primitive double[]. The coalesce keeps the deviations
    // non-nullable for that path (the median is null only when the array is empty).
    Dataset<Row> reference =
        hourly
            .withColumn(REFERENCE,
                sort_array(functions.flatten(collect_list(col(VALUES)).over(sameHourBefore))))
            .drop(VALUES)
            .withColumn(REFERENCE_SIZE, functions.size(col(REFERENCE)))
            .withColumn(MEDIAN, median(REFERENCE))
            .withColumn(REFERENCE, sort_array(
                expr("transform(" + REFERENCE + ", v -> abs(v - coalesce(" + MEDIAN + ", 0D)))")))
            .withColumn(MAD, median(REFERENCE))
            .drop(REFERENCE);
    Column usable = col(REFERENCE_SIZE).geq(s.outlierMinReference()).and(col(MAD).gt(0));
    Column z = when(usable, col(RawLoadTable.LOAD_MW).minus(col(MEDIAN)).multiply(MAD_TO_SIGMA).divide(col(MAD)));
    return local
        .join(reference, scala.collection.JavaConverters.asScalaBuffer(
            List.of(RawLoadTable.REGION, LOCAL_DAY, LOCAL_HOUR)).toList(), "left")
        .withColumn(Z, when(not(col(IMPOSSIBLE)), z))
        .withColumn(OUTLIER, coalesce(abs(col(Z)).gt(s.outlierThreshold()), lit(false)))
        .drop(LOCAL_DAY, LOCAL_HOUR, MEDIAN, MAD, REFERENCE_SIZE);
  }

  /** The median of a sorted array column (null when empty). */
  private static Column median(String sortedArray) {
    Column n = functions.size(col(sortedArray));
    Column upper = element_at(col(sortedArray), n.divide(2).cast("int").plus(1));
    Column lower = element_at(col(sortedArray), n.plus(1).divide(2).cast("int"));
    return when(n.gt(0), lower.plus(upper).divide(2));
  }
}
