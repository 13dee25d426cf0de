package io.nowcast.ingest.quality;

import static io.nowcast.ingest.quality.QualityReportTable.ABOVE_CAP_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.COMPLETENESS;
import static io.nowcast.ingest.quality.QualityReportTable.DAY;
import static io.nowcast.ingest.quality.QualityReportTable.DUPLICATE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.EXPECTED_INSTANTS;
import static io.nowcast.ingest.quality.QualityReportTable.FLATLINE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.IMPOSSIBLE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.INSTANTS_PRESENT;
import static io.nowcast.ingest.quality.QualityReportTable.JUMP_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.MAX_ABS_Z;
import static io.nowcast.ingest.quality.QualityReportTable.MAX_LOAD;
import static io.nowcast.ingest.quality.QualityReportTable.MIN_LOAD;
import static io.nowcast.ingest.quality.QualityReportTable.NONPOSITIVE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.NULL_LOADS;
import static io.nowcast.ingest.quality.QualityReportTable.OUTLIER_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.REGION;
import static io.nowcast.ingest.quality.QualityReportTable.ROWS;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.contract.RawLoadTable;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-quality stage (DESIGN §2, between raw load and features): flags rows ({@link RowFlags}),
 * aggregates one report row per region and <b>UTC day</b> of the input's span, applies each check's
 * {@link QualityPolicy} and returns the cleaned raw load with the report ({@link QualityResult}).
 *
 * <p>A region-day fails completeness when its share of expected instants with a load is below {@code
 * min_ratio}; it fails the other checks when it has at least one flagged row. Policies, in this order:
 * {@code fail} stops the run with a {@link DataQualityException} naming the first failing (check,
 * region, day) and its value; {@code drop_day} removes every row of the region-day; {@code repair} turns
 * flagged readings into missing values (for duplicates: keeps the first row of the instant) and then
 * {@link GapRepair} fills gaps of at most {@code max_gap_minutes} linearly (absent instants only when
 * completeness is repaired); {@code warn} only reports. The expected instants of a day are its grid
 * instants between the first and last stamp of the whole input, so a region missing whole days (even
 * with no row at all) shows them as incomplete.
 *
 * <p>Everything on the rows is Column expressions and windows; only the per-day report (regions × days
 * rows) and one row of span statistics reach the driver. The flagged rows are cached while the report is
 * collected; the cleaned rows are cached for the caller ({@link QualityResult#close()} frees both).
 */
public final class DataQualityStage {
  private static final Logger LOG = LoggerFactory.getLogger(DataQualityStage.class);

  private final QualitySettings settings;
  private final Map<String, ZoneId> zones;

  /**
   * @param zones time zone of each region, for the outlier reference's local hour and weekday (regions
   *     not named use UTC)
   */
  public DataQualityStage(QualitySettings settings, Map<String, ZoneId> zones) {
    this.settings = settings;
    this.zones = Map.copyOf(zones);
  }

  /**
   * Checks {@code rawLoad} (raw load contract columns; region, ts and load_mw at least).
   *
   * @throws DataQualityException when a check with policy {@code fail} fails on some region-day
   */
  public QualityResult run(Dataset<Row> rawLoad) {
    SparkSession spark = rawLoad.sparkSession();
    List<String> columns = List.of(rawLoad.columns());
    List<Dataset<Row>> persisted = new ArrayList<>();
    Dataset<Row> flagged =
        RowFlags.flag(rawLoad, settings, zones)
            .withColumn(GapRepair.REMOVED, removedByRepair())
            .persist(StorageLevel.MEMORY_AND_DISK());
    persisted.add(flagged);
    try {
      Row span = flagged.agg(min(col(RowFlags.SECONDS)), max(col(RowFlags.SECONDS))).first();
      if (span.isNullAt(0)) {
        QualitySummary empty = summarize(List.of(), Map.of());
        return new QualityResult(rawLoad, spark.createDataFrame(List.of(), QualityReportTable.SCHEMA), empty,
            persisted);
      }
      List<Row> before = dayReport(spark, flagged, span.getLong(0), span.getLong(1)).collectAsList();
      List<DayVerdict> verdicts = before.stream().map(r -> DayVerdict.of(r, settings)).toList();
      failIfAsked(verdicts);

      List<Row> droppedDays = verdicts.stream().filter(v -> v.fails(settings, QualityPolicy.DROP_DAY))
          .map(v -> RowFactory.create(v.region(), Date.valueOf(v.day()))).toList();
      Dataset<Row> kept = flagged;
      if (!droppedDays.isEmpty()) {
        StructType keys = new StructType().add(REGION, DataTypes.StringType).add(RowFlags.DAY, DataTypes.DateType);
        kept = flagged.join(spark.createDataFrame(droppedDays, keys),
            scala.collection.JavaConverters.asScalaBuffer(List.of(REGION, RowFlags.DAY)).toList(), "left_anti");
      }
      Dataset<Row> single = kept.where(not(col(RowFlags.DUPLICATE)))
          .withColumn(RawLoadTable.LOAD_MW, when(col(GapRepair.REMOVED), lit(null)).otherwise(col(RawLoadTable.LOAD_MW)));
      Dataset<Row> repaired =
          GapRepair.repair(single, columns, settings,
              settings.policy(QualityCheck.COMPLETENESS) == QualityPolicy.REPAIR);
      if (settings.policy(QualityCheck.DUPLICATES) != QualityPolicy.REPAIR) {
        repaired = repaired.unionByName(
            kept.where(col(RowFlags.DUPLICATE)).select(columns.stream().map(c -> col(c)).toArray(Column[]::new))
                .withColumn(GapRepair.FILLED, lit(false)));
      }
      repaired = repaired.persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(repaired);
      Map<String, Long> filledPerDay = new HashMap<>();
      for (Row r : repaired.where(col(GapRepair.FILLED))
          .groupBy(col(REGION), RowFlags.utcDay(col(RawLoadTable.TS)).cast("string").as(DAY))
          .agg(count(lit(1))).collectAsList()) {
        filledPerDay.put(r.getString(0) + "|" + r.getString(1), r.getLong(2));
      }
      flagged.unpersist();

      List<Row> report = finalRows(verdicts, filledPerDay);
      QualitySummary summary = summarize(verdicts, filledPerDay);
      log(summary);
      return new QualityResult(repaired.drop(GapRepair.FILLED),
          spark.createDataFrame(report, QualityReportTable.SCHEMA), summary, persisted);
    } catch (RuntimeException e) {
      persisted.forEach(Dataset::unpersist);
      throw e;
    }
  }

  /** The readings a repair policy turns into missing values. */
  private Column removedByRepair() {
    Column removed = lit(false);
    Map<QualityCheck, String> flags = Map.of(QualityCheck.FLATLINE, RowFlags.FLATLINE,
        QualityCheck.OUTLIERS, RowFlags.OUTLIER, QualityCheck.IMPOSSIBLE, RowFlags.IMPOSSIBLE);
    for (Map.Entry<QualityCheck, String> flag : flags.entrySet()) {
      if (settings.policy(flag.getKey()) == QualityPolicy.REPAIR) {
        removed = removed.or(col(flag.getValue()));
      }
    }
    return removed.and(not(col(RowFlags.DUPLICATE))).and(col(RawLoadTable.LOAD_MW).isNotNull());
  }

  /** The report before the policies: every region × every UTC day of the span, ordered. */
  private Dataset<Row> dayReport(SparkSession spark, Dataset<Row> flagged, long firstS, long lastS) {
    long step = settings.stepMinutes() * 60L;
    Column kept = not(col(RowFlags.DUPLICATE));
    Column reading = kept.and(col(RawLoadTable.LOAD_MW).isNotNull());
    Dataset<Row> perDay =
        flagged.groupBy(col(REGION), col(RowFlags.DAY).as(DAY))
            .agg(
                count(lit(1)).as(ROWS),
                countIf(reading.and(pmod(col(RowFlags.SECONDS), lit(step)).equalTo(0))).as(INSTANTS_PRESENT),
                countIf(kept.and(col(RawLoadTable.LOAD_MW).isNull())).as(NULL_LOADS),
                countIf(col(RowFlags.DUPLICATE)).as(DUPLICATE_ROWS),
                countIf(col(RowFlags.FLATLINE)).as(FLATLINE_ROWS),
                countIf(col(RowFlags.OUTLIER)).as(OUTLIER_ROWS),
                max(abs(col(RowFlags.Z))).as(MAX_ABS_Z),
                countIf(col(RowFlags.NONPOSITIVE)).as(NONPOSITIVE_ROWS),
                countIf(col(RowFlags.ABOVE_CAP)).as(ABOVE_CAP_ROWS),
                countIf(col(RowFlags.JUMP)).as(JUMP_ROWS),
                countIf(col(RowFlags.IMPOSSIBLE)).as(IMPOSSIBLE_ROWS),
                min(when(reading, col(RawLoadTable.LOAD_MW))).as(MIN_LOAD),
                max(when(reading, col(RawLoadTable.LOAD_MW))).as(MAX_LOAD),
                countIf(col(GapRepair.REMOVED)).as(QualityReportTable.VALUES_REMOVED));
    List<Row> days = new ArrayList<>();
    for (long day = Math.floorDiv(firstS, 86_400); day <= Math.floorDiv(lastS, 86_400); day++) {
      long from = Math.max(day * 86_400, firstS);
      long to = Math.min(day * 86_400 + 86_400 - step, lastS);
      days.add(RowFactory.create(Date.valueOf(LocalDate.ofEpochDay(day)), Math.floorDiv(to - from, step) + 1));
    }
    Dataset<Row> calendar =
        flagged.select(REGION).distinct()
            .crossJoin(spark.createDataFrame(days,
                new StructType().add(DAY, DataTypes.DateType).add(EXPECTED_INSTANTS, DataTypes.LongType)));
    Dataset<Row> joined = calendar.join(perDay,
        scala.collection.JavaConverters.asScalaBuffer(List.of(REGION, DAY)).toList(), "left");
    for (String c : List.of(ROWS, INSTANTS_PRESENT, NULL_LOADS, DUPLICATE_ROWS, FLATLINE_ROWS, OUTLIER_ROWS,
        NONPOSITIVE_ROWS, ABOVE_CAP_ROWS, JUMP_ROWS, IMPOSSIBLE_ROWS, QualityReportTable.VALUES_REMOVED)) {
      joined = joined.withColumn(c, org.apache.spark.sql.functions.coalesce(col(c), lit(0L)));
    }
    return joined
        .withColumn(COMPLETENESS, col(INSTANTS_PRESENT).cast("double").divide(col(EXPECTED_INSTANTS)))
        .orderBy(REGION, DAY);
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** Throws for the first failing region-day (check order, then region and day) of a fail policy. */
  private void failIfAsked(List<DayVerdict> verdicts) {
    for (QualityCheck check : QualityCheck.values()) {
      if (settings.policy(check) != QualityPolicy.FAIL) {
        continue;
      }
      List<DayVerdict> failing = verdicts.stream().filter(v -> v.failed().contains(check)).toList();
      if (!failing.isEmpty()) {
        DayVerdict first = failing.get(0);
        throw new DataQualityException(check, first.region(), first.day(),
            "data quality check '" + check.key() + "' failed for region " + first.region() + " on UTC day "
                + first.day() + ": " + first.describe(check, settings) + " (policy fail, "
                + QualitySettings.policyKey(check) + "; " + failing.size() + " region-day(s) fail this check)");
      }
    }
  }

  private List<Row> finalRows(List<DayVerdict> verdicts, Map<String, Long> filledPerDay) {
    List<Row> rows = new ArrayList<>();
    for (DayVerdict v : verdicts) {
      Row r = v.row();
      boolean dropped = v.fails(settings, QualityPolicy.DROP_DAY);
      long expected = r.getAs(EXPECTED_INSTANTS);
      long present = r.getAs(INSTANTS_PRESENT);
      long removed = dropped ? 0 : r.<Long>getAs(QualityReportTable.VALUES_REMOVED);
      long duplicates = dropped || settings.policy(QualityCheck.DUPLICATES) != QualityPolicy.REPAIR
          ? 0 : r.<Long>getAs(DUPLICATE_ROWS);
      long filled = filledPerDay.getOrDefault(v.region() + "|" + v.day(), 0L);
      double after = dropped ? 0.0 : (double) (present - removed + filled) / expected;
      rows.add(RowFactory.create(v.region(), Date.valueOf(v.day()), expected, r.<Long>getAs(ROWS), present,
          r.<Long>getAs(NULL_LOADS), r.<Double>getAs(COMPLETENESS), r.<Long>getAs(DUPLICATE_ROWS),
          r.<Long>getAs(FLATLINE_ROWS), r.<Long>getAs(OUTLIER_ROWS), r.<Double>getAs(MAX_ABS_Z),
          r.<Long>getAs(NONPOSITIVE_ROWS), r.<Long>getAs(ABOVE_CAP_ROWS), r.<Long>getAs(JUMP_ROWS),
          r.<Long>getAs(IMPOSSIBLE_ROWS), r.<Double>getAs(MIN_LOAD), r.<Double>getAs(MAX_LOAD),
          String.join(",", v.failed().stream().map(QualityCheck::key).toList()), dropped,
          dropped ? r.<Long>getAs(ROWS) : 0L, removed, duplicates, filled, after));
    }
    return rows;
  }

  private QualitySummary summarize(List<DayVerdict> verdicts, Map<String, Long> filledPerDay) {
    Map<QualityCheck, String> rowColumns = Map.of(QualityCheck.COMPLETENESS, NULL_LOADS,
        QualityCheck.DUPLICATES, DUPLICATE_ROWS, QualityCheck.FLATLINE, FLATLINE_ROWS,
        QualityCheck.OUTLIERS, OUTLIER_ROWS, QualityCheck.IMPOSSIBLE, IMPOSSIBLE_ROWS);
    Map<QualityCheck, QualitySummary.CheckTotals> checks = new EnumMap<>(QualityCheck.class);
    for (QualityCheck check : QualityCheck.values()) {
      long days = verdicts.stream().filter(v -> v.failed().contains(check)).count();
      long rows = check == QualityCheck.COMPLETENESS
          ? verdicts.stream().mapToLong(v -> v.row().<Long>getAs(EXPECTED_INSTANTS)
              - v.row().<Long>getAs(INSTANTS_PRESENT)).sum()
          : verdicts.stream().mapToLong(v -> v.row().<Long>getAs(rowColumns.get(check))).sum();
      checks.put(check, new QualitySummary.CheckTotals(settings.policy(check), days, rows));
    }
    List<QualitySummary.Violation> violations = new ArrayList<>();
    long total = 0;
    for (DayVerdict v : verdicts) {
      for (QualityCheck check : v.failed()) {
        total++;
        if (violations.size() < QualitySummary.VIOLATIONS_LISTED) {
          violations.add(new QualitySummary.Violation(v.region(), v.day(), check, v.describe(check, settings)));
        }
      }
    }
    List<DayVerdict> dropped = verdicts.stream().filter(v -> v.fails(settings, QualityPolicy.DROP_DAY)).toList();
    long removed = verdicts.stream().filter(v -> !v.fails(settings, QualityPolicy.DROP_DAY))
        .mapToLong(v -> v.row().<Long>getAs(QualityReportTable.VALUES_REMOVED)).sum();
    long duplicates = settings.policy(QualityCheck.DUPLICATES) != QualityPolicy.REPAIR ? 0
        : verdicts.stream().filter(v -> !v.fails(settings, QualityPolicy.DROP_DAY))
            .mapToLong(v -> v.row().<Long>getAs(DUPLICATE_ROWS)).sum();
    return new QualitySummary("UTC", verdicts.size(),
        verdicts.stream().mapToLong(v -> v.row().<Long>getAs(EXPECTED_INSTANTS)).sum(),
        verdicts.stream().mapToLong(v -> v.row().<Long>getAs(INSTANTS_PRESENT)).sum(),
        checks, dropped.size(), dropped.stream().mapToLong(v -> v.row().<Long>getAs(ROWS)).sum(),
        removed, duplicates, filledPerDay.values().stream().mapToLong(Long::longValue).sum(),
        violations, total, settings);
  }

  private static void log(QualitySummary s) {
    StringBuilder line = new StringBuilder("data quality: ").append(s.regionDays()).append(" region-days");
    s.checks().forEach((check, t) -> line.append("; ").append(check.key()).append(' ').append(t.regionDays())
        .append(" days/").append(t.rows()).append(" rows (").append(t.policy().key()).append(')'));
    line.append("; dropped ").append(s.daysDropped()).append(" days/").append(s.rowsDropped())
        .append(" rows; removed ").append(s.valuesRemoved()).append(" values; filled ")
        .append(s.instantsFilled()).append(" instants");
    LOG.info(line.toString());
    s.violations().stream().limit(20).forEach(v ->
        LOG.warn("data quality: {} {} {}: {}", v.region(), v.day(), v.check().key(), v.value()));
  }
}
