package io.nowcast.ingest.quality;

import static io.nowcast.ingest.quality.QualityFrames.ramp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Each check on a tiny series whose counts are worked out by hand (every policy warn: nothing changes). */
class QualityChecksTest {
  private static QualityResult check(QualityFrames frames, QualitySettings settings) {
    return new DataQualityStage(settings, Map.of()).run(frames.frame());
  }

  private static long count(Row row, String column) {
    return row.<Long>getAs(column);
  }

  /**
   * One warn-only run over four regions, one check each (a run costs several Spark jobs, so the tiny
   * cases share it): A and B completeness, D duplicates, F flatlines, I impossible values.
   */
  @Test
  void eachCheckCountsWhatWasPlantedAndWarnChangesNothing() {
    Double[] dayOne = ramp(288, 1000);
    for (int i = 10; i < 38; i++) {
      dayOne[i] = Double.NaN; // 28 absent instants
    }
    dayOne[100] = null; // one empty load
    Double[] flat = ramp(288, 3000);
    Arrays.fill(flat, 10, 34, 1234.5); // 24 readings = 2 h exactly: a flatline of min_hours 2
    Arrays.fill(flat, 50, 73, 777.0); // 23 readings = 1 h 55 min: not
    Arrays.fill(flat, 100, 125, 888.0); // 12 + 12 equal readings around one absent instant: two 1-hour runs
    flat[112] = Double.NaN;
    QualityFrames frames = new QualityFrames()
        .series("A", "2023-01-02T00:00:00Z", dayOne)
        // 2023-01-03 has no row of A at all; 2023-01-04 has readings from 00:00 to 11:55 (the span ends there)
        .series("A", "2023-01-04T00:00:00Z", ramp(144, 2000))
        // B starts at noon of the first day: its morning still counts as expected (the span is global)
        .series("B", "2023-01-02T12:00:00Z", ramp(144, 500))
        .series("D", "2023-01-02T00:00:00Z", ramp(12, 1000))
        .row("D", "2023-01-02T00:10:00Z", 5000.0, java.sql.Timestamp.valueOf("2023-12-31 00:00:00"))
        .row("D", "2023-01-02T00:10:00Z", 1002.5, java.sql.Timestamp.valueOf("2025-01-01 00:00:00"))
        .series("F", "2023-01-02T00:00:00Z", flat)
        .series("I", "2023-01-02T00:00:00Z",
            100.0, 100.5, 300.0, 101.0, 101.5, // 300 jumps away from both neighbours; 101 does not
            0.0, 102.0, -5.0, 103.0, 200_000.0, 104.0, // 0 and -5 non-positive, 200000 above the cap
            105.0, 40.0, 41.0, 106.0, 107.0); // 40 → 41: a two-reading dip is not a one-reading spike
    try (QualityResult result = check(frames, QualityFrames.warnOnly())) {
      Map<String, Row> days = QualityFrames.byDay(result);
      assertEquals(5 * 3, days.size(), "5 regions x 3 UTC days of the span");
      assertEquals(frames.frame().count(), result.cleaned().count(), "warn changes no row");

      Row a1 = days.get("A|2023-01-02");
      assertEquals(288, count(a1, QualityReportTable.EXPECTED_INSTANTS));
      assertEquals(288 - 28, count(a1, QualityReportTable.ROWS));
      assertEquals(288 - 28 - 1, count(a1, QualityReportTable.INSTANTS_PRESENT));
      assertEquals(1, count(a1, QualityReportTable.NULL_LOADS));
      assertEquals(259.0 / 288, a1.<Double>getAs(QualityReportTable.COMPLETENESS), 1e-12);
      assertEquals("completeness", a1.getAs(QualityReportTable.FAILED_CHECKS), "259/288 = 0.899 < 0.9");
      Row a2 = days.get("A|2023-01-03");
      assertEquals(288, count(a2, QualityReportTable.EXPECTED_INSTANTS));
      assertEquals(0, count(a2, QualityReportTable.ROWS));
      assertEquals(0.0, a2.<Double>getAs(QualityReportTable.COMPLETENESS));
      Row a3 = days.get("A|2023-01-04");
      assertEquals(144, count(a3, QualityReportTable.EXPECTED_INSTANTS), "the span ends at 11:55");
      assertEquals(1.0, a3.<Double>getAs(QualityReportTable.COMPLETENESS));
      assertEquals("", a3.getAs(QualityReportTable.FAILED_CHECKS));
      assertEquals(0.5, days.get("B|2023-01-02").<Double>getAs(QualityReportTable.COMPLETENESS));

      Row d = days.get("D|2023-01-02");
      assertEquals(14, count(d, QualityReportTable.ROWS));
      assertEquals(2, count(d, QualityReportTable.DUPLICATE_ROWS));
      assertEquals(12, count(d, QualityReportTable.INSTANTS_PRESENT), "an instant counts once");

      Row f = days.get("F|2023-01-02");
      assertEquals(24, count(f, QualityReportTable.FLATLINE_ROWS));
      assertEquals("flatline", f.getAs(QualityReportTable.FAILED_CHECKS), "287 of 288 instants is complete");

      Row i = days.get("I|2023-01-02");
      assertEquals(2, count(i, QualityReportTable.NONPOSITIVE_ROWS));
      assertEquals(1, count(i, QualityReportTable.ABOVE_CAP_ROWS));
      assertEquals(1, count(i, QualityReportTable.JUMP_ROWS));
      assertEquals(4, count(i, QualityReportTable.IMPOSSIBLE_ROWS));
      assertEquals(-5.0, i.<Double>getAs(QualityReportTable.MIN_LOAD));

      QualitySummary summary = result.summary();
      // Incomplete: A days 1, 2; B, D, I every day; F days 2, 3 (its first day holds 287 of 288).
      assertEquals(2 + 3 + 3 + 3 + 2, summary.checks().get(QualityCheck.COMPLETENESS).regionDays());
      assertEquals(QualityPolicy.WARN, summary.checks().get(QualityCheck.COMPLETENESS).policy());
      assertEquals(5 * (2 * 288 + 144), summary.expectedInstants());
      assertEquals(1, summary.checks().get(QualityCheck.DUPLICATES).regionDays());
      assertEquals(24, summary.checks().get(QualityCheck.FLATLINE).rows());
      assertEquals(0, summary.instantsFilled());
      String json = summary.toJson("test");
      assertTrue(json.contains("\"impossible\" : {"), json);
      assertTrue(json.contains("\"check\" : \"flatline\""), json);
      assertTrue(json.contains("\"rows_repaired\" : 0"), json);
    }
  }

  @Test
  void outlierIsARobustZScoreAgainstTheSameHourOfTheWeekBefore() {
    // Week before (2023-01-02, a Monday) 10:00-10:55: 100 ... 111, so median 105.5; the absolute
    // deviations 0.5, 0.5, 1.5, 1.5, ..., 5.5, 5.5 have median (2.5 + 3.5) / 2 = 3 = MAD.
    QualityFrames frames = new QualityFrames()
        .series("A", "2023-01-02T10:00:00Z", ramp(12, 100))
        // Monday 2023-01-09 10:00: 150 → z = 0.6745 × 44.5 / 3 = 10.005; 10:05: 110 → z = 1.01.
        .series("A", "2023-01-09T10:00:00Z", 150.0, 110.0, 111.0)
        // 11:00 has no reference hour: never tested, whatever the value.
        .series("A", "2023-01-09T11:00:00Z", 9000.0);
    QualitySettings settings = new QualitySettings(true, 5, 30, 0.0, 2.0, 1, 8.0, 12, 100_000, 100.0,
        QualityFrames.warnOnly().policies());
    try (QualityResult result = check(frames, settings)) {
      Row day = QualityFrames.byDay(result).get("A|2023-01-09");
      assertEquals(1, count(day, QualityReportTable.OUTLIER_ROWS));
      assertEquals(0.6745 * 44.5 / 3, day.<Double>getAs(QualityReportTable.MAX_ABS_Z), 1e-9);
      assertNull(QualityFrames.byDay(result).get("A|2023-01-02").getAs(QualityReportTable.MAX_ABS_Z),
          "no reference in the first week");
    }
  }

  @Test
  void outlierReferenceFollowsLocalTimeAcrossDst() {
    // New York: 2023-03-12 is the spring DST day. 10:00 local on Monday 03-06 is 15:00 UTC, on Monday
    // 03-13 it is 14:00 UTC. The reference of 03-13 14:00 UTC is therefore 03-06 15:00 UTC.
    QualityFrames frames = new QualityFrames()
        .series("A", "2023-03-06T14:00:00Z", ramp(12, 500))
        .series("A", "2023-03-06T15:00:00Z", ramp(12, 100))
        .series("A", "2023-03-13T14:00:00Z", 150.0);
    QualitySettings settings = new QualitySettings(true, 5, 30, 0.0, 2.0, 1, 8.0, 12, 100_000, 100.0,
        QualityFrames.warnOnly().policies());
    try (QualityResult result = new DataQualityStage(settings, Map.of("A", ZoneId.of("America/New_York")))
        .run(frames.frame())) {
      Row day = QualityFrames.byDay(result).get("A|2023-03-13");
      assertEquals(0.6745 * 44.5 / 3, day.<Double>getAs(QualityReportTable.MAX_ABS_Z), 1e-9,
          "against 100..111 (local 10:00), not 500..511 (UTC 14:00)");
    }
  }
}
