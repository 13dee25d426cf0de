package io.nowcast.ingest.quality;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.nyiso.NyisoPalArchiveIngest;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality stage on the real NYISO archives of March and April 2017 (the April archive starts on the
 * 25th: every zone misses 2017-04-01 04:00 UTC to 2017-04-25 04:00 UTC, DATA README). The report must show
 * the hole day by day, the outliers of the Winter Storm Stella week, and count what the raw table holds
 * (checked against plain filters of that table).
 */
class NyisoQualityTest {
  @TempDir Path dir;

  @Test
  void seesTheApril2017HoleAndTheStormWeekOutliers() {
    Path pal = SharedData.require("nyiso/pal");
    SparkSession spark = SparkTestSession.get();
    String root = dir.resolve("data").toUri().toString();
    new NyisoPalArchiveIngest().run(spark, List.of(pal.resolve("20170301pal_csv.zip").toUri().toString(),
        pal.resolve("20170401pal_csv.zip").toUri().toString()), root);
    Dataset<Row> raw = spark.read().parquet(root + "/" + RawLoadTable.PATH);
    Map<String, ZoneId> zones = RegionMap.nyiso().zones();

    // The raw facts, by plain filters: the last stamp before and the first after the hole.
    Timestamp lastBefore = raw.where(col(RawLoadTable.TS).lt(Timestamp.from(Instant.parse("2017-04-10T00:00:00Z"))))
        .agg(org.apache.spark.sql.functions.max(RawLoadTable.TS)).first().getTimestamp(0);
    Timestamp firstAfter = raw.where(col(RawLoadTable.TS).gt(Timestamp.from(Instant.parse("2017-04-10T00:00:00Z"))))
        .agg(org.apache.spark.sql.functions.min(RawLoadTable.TS)).first().getTimestamp(0);
    assertEquals(Instant.parse("2017-04-01T03:55:00Z"), lastBefore.toInstant());
    assertEquals(Instant.parse("2017-04-25T04:00:00Z"), firstAfter.toInstant());
    long emptyLoads = raw.where(col(RawLoadTable.LOAD_MW).isNull()).count();
    long nonPositive = raw.where(col(RawLoadTable.LOAD_MW).leq(0)).count();

    long rawRows = raw.count();
    long start = System.nanoTime();
    try (QualityResult result = new DataQualityStage(QualitySettings.defaults(), zones).run(raw)) {
      // A measurement for docs/notes, not an assertion: run() includes the report's collect and the fills.
      System.out.printf("quality stage on %d raw rows: %.1f s%n", rawRows, (System.nanoTime() - start) / 1e9);
      System.out.println(result.summary().toJson("nyiso-pal"));
      Map<String, Row> days = QualityFrames.byDay(result);
      for (String zone : RegionMap.NYISO_ZONES) {
        for (LocalDate d = LocalDate.of(2017, 4, 2); d.isBefore(LocalDate.of(2017, 4, 25)); d = d.plusDays(1)) {
          Row day = days.get(zone + "|" + d);
          assertEquals(288, day.<Long>getAs(QualityReportTable.EXPECTED_INSTANTS), zone + " " + d);
          assertEquals(0, day.<Long>getAs(QualityReportTable.ROWS), zone + " " + d);
          assertTrue(day.<String>getAs(QualityReportTable.FAILED_CHECKS).contains("completeness"), zone + " " + d);
        }
        // 04-01 holds 00:00-03:55 UTC (48 instants), 04-25 04:00-23:55 (240), if no other instant is missing.
        Row first = days.get(zone + "|2017-04-01");
        Row last = days.get(zone + "|2017-04-25");
        assertTrue(first.<Long>getAs(QualityReportTable.INSTANTS_PRESENT) <= 48, zone);
        assertTrue(first.<Long>getAs(QualityReportTable.INSTANTS_PRESENT) >= 46, zone);
        assertTrue(last.<Long>getAs(QualityReportTable.INSTANTS_PRESENT) <= 240, zone);
        assertTrue(last.<Long>getAs(QualityReportTable.INSTANTS_PRESENT) >= 238, zone);
      }
      QualitySummary summary = result.summary();
      assertEquals(11 * 25, summary.checks().get(QualityCheck.COMPLETENESS).regionDays(),
          "the 23 empty days and the two partial ones (04-01, 04-25) of every zone, no other");
      assertEquals(11 * 6912L, summary.checks().get(QualityCheck.COMPLETENESS).rows(),
          "the hole's 6,912 bins per zone (data README), and no other missing instant");
      long reportEmpty = result.report().agg(org.apache.spark.sql.functions.sum(QualityReportTable.NULL_LOADS))
          .first().getLong(0);
      long reportNonPositive = result.report().agg(
          org.apache.spark.sql.functions.sum(QualityReportTable.NONPOSITIVE_ROWS)).first().getLong(0);
      assertEquals(emptyLoads, reportEmpty);
      assertEquals(nonPositive, reportNonPositive);
      // These two months hold no empty or non-positive load (both counts above are 0); the off readings
      // are the Winter Storm Stella days (2017-03-14 to 03-20), far from the same hours of the weeks before.
      long stormOutlierDays = result.report()
          .where(col(QualityReportTable.OUTLIER_ROWS).gt(0)
              .and(col(QualityReportTable.DAY).between("2017-03-14", "2017-03-20")))
          .count();
      assertTrue(stormOutlierDays >= 11, "outlier region-days in the storm week: " + stormOutlierDays);
      // The hole is far longer than max_gap_minutes: nothing is filled, and outliers only warn.
      assertEquals(0, summary.instantsFilled());
      assertEquals(rawRows, result.cleaned().count());
    }
  }
}
