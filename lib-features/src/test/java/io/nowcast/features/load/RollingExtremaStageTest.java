package io.nowcast.features.load;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.Frames;
import io.nowcast.features.Frames.Point;
import io.nowcast.features.SeriesColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Rolling min/max against a naive loop over the instants in (t − w, t]: exact equality (a min or max
 * is one of the inputs, no rounding), null where fewer than half the window's values are present.
 */
class RollingExtremaStageTest {
  private static final int STEP = 5;
  private static final int[] WINDOWS = {15, 60, 1440, 10080};

  /** Naive reference: {min, max} of the present values at indices (i − W, i], or null. */
  static Double[] naive(Double[] values, int index, int windowMinutes) {
    int rows = windowMinutes / STEP;
    Double lo = null;
    Double hi = null;
    int present = 0;
    for (int j = Math.max(0, index - rows + 1); j <= index; j++) {
      if (values[j] != null) {
        present++;
        lo = lo == null ? values[j] : Math.min(lo, values[j]);
        hi = hi == null ? values[j] : Math.max(hi, values[j]);
      }
    }
    if (present == 0 || 2 * present < rows) {
      return new Double[] {null, null};
    }
    return new Double[] {lo, hi};
  }

  /** {@code days} of noise with 3 % single gaps, a 2-hour hole and a 2-day outage. */
  static Double[] series(long seed, int days, double level) {
    Random random = new Random(seed);
    Double[] values = new Double[days * 288];
    for (int i = 0; i < values.length; i++) {
      boolean gap = random.nextDouble() < 0.03 || (i >= 300 && i < 324) || (i >= 1500 && i < 2076);
      values[i] = gap ? null : level + 100 * Math.sin(i / 40.0) + 30 * random.nextGaussian();
    }
    return values;
  }

  @Test
  void minAndMaxMatchANaiveLoopForWindowsUpToAWeekWithGapsAndUnalignedStarts() {
    // Starts that are not on a block boundary of any window (15 min, 1 h, 1 d, epoch-aligned week).
    Map<String, Instant> starts = new LinkedHashMap<>();
    starts.put("A", at("2024-02-01T01:35:00Z"));
    starts.put("B", at("2024-02-03T17:10:00Z"));
    Map<String, Double[]> values = new LinkedHashMap<>();
    values.put("A", series(21, 9, 1000));
    values.put("B", series(22, 9, 300));
    List<Point> points = new ArrayList<>();
    values.forEach((region, v) -> points.addAll(Frames.grid(region, starts.get(region), STEP, v)));

    RollingExtremaStage stage = new RollingExtremaStage().setWindowsMinutes(WINDOWS);
    Map<String, Row> rows = Frames.byRegionAndTs(stage.transform(Frames.series(points)), SeriesColumns.TS);
    assertEquals(points.size(), rows.size());

    int[] nonNull = new int[WINDOWS.length];
    int[] nulls = new int[WINDOWS.length];
    for (String region : values.keySet()) {
      Double[] v = values.get(region);
      for (int i = 0; i < v.length; i++) {
        Instant t = starts.get(region).plusSeconds(60L * STEP * i);
        Row row = rows.get(Frames.key(region, t));
        for (int k = 0; k < WINDOWS.length; k++) {
          Double[] expected = naive(v, i, WINDOWS[k]);
          String what = region + " " + t + " window " + WINDOWS[k];
          assertEquals(expected[0], row.getAs(FeatureTable.rollingMin(WINDOWS[k])), what + " min");
          assertEquals(expected[1], row.getAs(FeatureTable.rollingMax(WINDOWS[k])), what + " max");
          if (expected[0] == null) {
            nulls[k]++;
          } else {
            nonNull[k]++;
          }
        }
      }
    }
    for (int k = 0; k < WINDOWS.length; k++) {
      assertTrue(nonNull[k] > 1000, "window " + WINDOWS[k] + " checked " + nonNull[k] + " values");
      assertTrue(nulls[k] > 0, "window " + WINDOWS[k] + " also checked the null rule");
    }
  }

  @Test
  void smallHandCheckedWindow() {
    // 00:05 … 00:50, one-hour window (12 rows, needs 6 present); block boundaries at 00:00 and 01:00
    // do not matter here: every window starts before the series.
    Instant start = at("2024-02-01T00:05:00Z");
    Double[] v = {5.0, 3.0, null, 8.0, 1.0, null, 7.0, 9.0, 2.0, 4.0};
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new RollingExtremaStage()
                .setWindowsMinutes(new int[] {15, 60})
                .transform(Frames.series(Frames.grid("A", start, STEP, v))),
            SeriesColumns.TS);
    // 00:30 (index 5): 15-min window = indices 3..5 = {8, 1, null} → min 1, max 8.
    Row at5 = rows.get(Frames.key("A", start.plusSeconds(300L * 5)));
    assertEquals(1.0, (Double) at5.getAs(FeatureTable.rollingMin(15)));
    assertEquals(8.0, (Double) at5.getAs(FeatureTable.rollingMax(15)));
    // 1 h window at index 5: 4 present of 12 → null; at index 7: {5,3,8,1,7,9} = 6 of 12 → 1 and 9.
    assertNull(at5.getAs(FeatureTable.rollingMin(60)));
    Row at7 = rows.get(Frames.key("A", start.plusSeconds(300L * 7)));
    assertEquals(1.0, (Double) at7.getAs(FeatureTable.rollingMin(60)));
    assertEquals(9.0, (Double) at7.getAs(FeatureTable.rollingMax(60)));
    // 15-min window at index 2: {5, 3, null} → 3 and 5; at 6: {1, null, 7} → 1 and 7.
    Row at2 = rows.get(Frames.key("A", start.plusSeconds(300L * 2)));
    assertEquals(3.0, (Double) at2.getAs(FeatureTable.rollingMin(15)));
    assertEquals(5.0, (Double) at2.getAs(FeatureTable.rollingMax(15)));
    Row at6 = rows.get(Frames.key("A", start.plusSeconds(300L * 6)));
    assertEquals(1.0, (Double) at6.getAs(FeatureTable.rollingMin(15)));
    assertEquals(7.0, (Double) at6.getAs(FeatureTable.rollingMax(15)));
  }

  @Test
  void onInputThatIsNotARegularGridTheWindowIsNullNotShifted() {
    Instant start = at("2024-02-01T00:00:00Z");
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      if (i != 4) { // 00:20 has no row at all
        points.add(new Point("A", start.plusSeconds(300L * i), (double) (10 - i)));
      }
    }
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new RollingExtremaStage().setWindowsMinutes(new int[] {15}).transform(Frames.series(points)),
            SeriesColumns.TS);
    // At 00:25 and 00:30 the rows 2 and 3 back are not 10 and 15 minutes back: null, not shifted.
    assertNull(rows.get(Frames.key("A", start.plusSeconds(1500))).getAs(FeatureTable.rollingMin(15)));
    assertNull(rows.get(Frames.key("A", start.plusSeconds(1800))).getAs(FeatureTable.rollingMax(15)));
    // At 00:15 the grid behind is regular: {9, 8, 7}.
    Row ok = rows.get(Frames.key("A", start.plusSeconds(900)));
    assertEquals(7.0, (Double) ok.getAs(FeatureTable.rollingMin(15)));
    assertEquals(9.0, (Double) ok.getAs(FeatureTable.rollingMax(15)));
  }

  @Test
  void rejectsWindowsThatAreNotMultiplesOfTheStep() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RollingExtremaStage()
            .setWindowsMinutes(new int[] {12})
            .transform(Frames.series(List.of(new Point("A", at("2024-02-01T00:00:00Z"), 1.0)))));
  }
}
