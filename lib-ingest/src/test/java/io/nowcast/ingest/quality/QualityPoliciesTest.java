package io.nowcast.ingest.quality;

import static io.nowcast.ingest.quality.QualityFrames.ramp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** What each policy does to the rows: fail, repair (short gaps only, exactly linear), drop_day, warn. */
class QualityPoliciesTest {
  private static final long T0 = Instant.parse("2023-01-02T00:00:00Z").getEpochSecond();
  private static final double NA = Double.NaN;

  /**
   * 0: 100, 1-2 absent, 3: 130 (a 10-minute gap), 4: 131, 5: 300 (a spike), 6: 132, 7: 133, 8-14 absent (35
   * minutes, longer than max_gap_minutes 30), 15: 140, 16: 141, 17: empty load, 18: 142.
   */
  private static QualityFrames gappy() {
    return new QualityFrames().series("A", "2023-01-02T00:00:00Z",
        100.0, NA, NA, 130.0, 131.0, 300.0, 132.0, 133.0, NA, NA, NA, NA, NA, NA, NA, 140.0, 141.0, null, 142.0);
  }

  private static Map<Integer, Double> byIndex(QualityResult result) {
    Map<Integer, Double> out = new TreeMap<>();
    QualityFrames.loads(result.cleaned(), "A").forEach((s, v) -> out.put((int) ((s - T0) / 300), v));
    return out;
  }

  @Test
  void repairFillsShortGapsExactlyLinearlyAndLeavesLongGapsMissing() {
    QualitySettings settings = QualityFrames.warnOnly()
        .withPolicy(QualityCheck.COMPLETENESS, QualityPolicy.REPAIR)
        .withPolicy(QualityCheck.IMPOSSIBLE, QualityPolicy.REPAIR)
        .withPolicy(QualityCheck.DUPLICATES, QualityPolicy.REPAIR);
    QualityFrames frames = gappy()
        .row("A", "2023-01-02T00:20:00Z", 999.0, java.sql.Timestamp.valueOf("2023-12-31 00:00:00"))
        .row("A", "2023-01-02T00:35:00Z", 133.5, java.sql.Timestamp.valueOf("2025-01-01 00:00:00"));
    try (QualityResult result = new DataQualityStage(settings, Map.of()).run(frames.frame())) {
      Map<Integer, Double> loads = byIndex(result);
      Map<Integer, Double> expected = new TreeMap<>();
      expected.put(0, 100.0);
      expected.put(1, 110.0); // 100 + 30 × 1/3
      expected.put(2, 120.0); // 100 + 30 × 2/3
      expected.put(3, 130.0);
      expected.put(4, 131.0);
      expected.put(5, 131.5); // the spike removed, then (131 + 132) / 2
      expected.put(6, 132.0);
      expected.put(7, 133.5); // the duplicate ingested last (2025) wins over 133
      expected.put(15, 140.0);
      expected.put(16, 141.0);
      expected.put(17, 141.5); // the empty load filled
      expected.put(18, 142.0);
      assertEquals(expected, loads, "8-14 (35 minutes) stay missing");
      assertEquals(12, result.cleaned().count(), "one row per instant, none for the long gap");
      Row day = QualityFrames.byDay(result).get("A|2023-01-02");
      assertEquals(4, day.<Long>getAs(QualityReportTable.INSTANTS_FILLED));
      assertEquals(1, day.<Long>getAs(QualityReportTable.VALUES_REMOVED));
      assertEquals(4, result.summary().instantsFilled());
      assertEquals(2, result.summary().duplicatesRemoved());
      assertEquals(4.0, result.summary().metrics().get("quality_rows_repaired"));
      // The fills carry the raw columns of the reading before the gap.
      Row fill = result.cleaned().where("ts = timestamp'2023-01-02 00:05:00'").first();
      assertEquals("test", fill.getAs("source"));
    }
  }

  @Test
  void repairOfABadReadingWithoutCompletenessRepairFillsOnlyGapsMadeOfRemovedReadings() {
    QualitySettings settings = QualityFrames.warnOnly().withPolicy(QualityCheck.IMPOSSIBLE, QualityPolicy.REPAIR);
    try (QualityResult result = new DataQualityStage(settings, Map.of()).run(gappy().frame())) {
      Map<Integer, Double> loads = byIndex(result);
      assertEquals(131.5, loads.get(5));
      assertFalse(loads.containsKey(1), "absent instants are not filled when completeness only warns");
      assertTrue(loads.containsKey(17));
      assertNull(loads.get(17), "the empty load stays empty");
      assertEquals(10, result.cleaned().count());
    }
  }

  @Test
  void failStopsWithRegionDayCheckAndValue() {
    QualityFrames frames = new QualityFrames()
        .series("A", "2023-01-02T00:00:00Z", ramp(288, 1000))
        .series("A", "2023-01-04T00:00:00Z", ramp(288, 1000));
    QualitySettings settings = QualityFrames.warnOnly().withPolicy(QualityCheck.COMPLETENESS, QualityPolicy.FAIL);
    DataQualityException e = assertThrows(DataQualityException.class,
        () -> new DataQualityStage(settings, Map.of()).run(frames.frame()));
    assertEquals("data quality check 'completeness' failed for region A on UTC day 2023-01-03: completeness"
        + " 0.000 (0 of 288 expected 5-minute instants) < min_ratio 0.9 (policy fail,"
        + " quality.completeness.policy; 1 region-day(s) fail this check)", e.getMessage());
    assertEquals("2023-01-03", e.day());

    QualitySettings impossible = QualityFrames.warnOnly().withPolicy(QualityCheck.IMPOSSIBLE, QualityPolicy.FAIL);
    DataQualityException spike = assertThrows(DataQualityException.class,
        () -> new DataQualityStage(impossible, Map.of()).run(gappy().frame()));
    assertTrue(spike.getMessage().startsWith("data quality check 'impossible' failed for region A on UTC day"
        + " 2023-01-02: 1 impossible rows (0 <= 0 MW, 0 above max_mw 100000.0, 1 jumps > 0.5)"), spike.getMessage());
  }

  @Test
  void dropDayRemovesTheDaysRowsAndCountsThem() {
    Double[] second = ramp(288, 2000);
    Arrays.fill(second, 100, 140, 2100.0); // 40 equal readings: a 3 h 20 min flatline
    QualityFrames frames = new QualityFrames()
        .series("A", "2023-01-02T00:00:00Z", ramp(288, 1000))
        .series("A", "2023-01-03T00:00:00Z", second)
        .series("B", "2023-01-03T00:00:00Z", ramp(288, 500));
    QualitySettings settings = QualityFrames.warnOnly().withPolicy(QualityCheck.FLATLINE, QualityPolicy.DROP_DAY);
    try (QualityResult result = new DataQualityStage(settings, Map.of()).run(frames.frame())) {
      assertEquals(288 + 288, result.cleaned().count(), "A's first day and B's day stay");
      assertEquals(0, result.cleaned().where("region = 'A' and ts >= timestamp'2023-01-03 00:00:00'").count());
      Row dropped = QualityFrames.byDay(result).get("A|2023-01-03");
      assertTrue(dropped.<Boolean>getAs(QualityReportTable.DROPPED));
      assertEquals(288, dropped.<Long>getAs(QualityReportTable.ROWS_DROPPED));
      assertEquals(40, dropped.<Long>getAs(QualityReportTable.FLATLINE_ROWS));
      assertEquals(0.0, dropped.<Double>getAs(QualityReportTable.COMPLETENESS_AFTER));
      assertFalse(QualityFrames.byDay(result).get("B|2023-01-03").<Boolean>getAs(QualityReportTable.DROPPED));
      assertEquals(1, result.summary().daysDropped());
      assertEquals(288, result.summary().rowsDropped());
      assertEquals(1.0, result.summary().metrics().get("quality_days_dropped"));
    }
  }
}
