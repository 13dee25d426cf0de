package io.nowcast.features.load;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.Frames;
import io.nowcast.features.Frames.Point;
import io.nowcast.features.SeriesColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Rolling mean/std against a naive loop (values in (t − w, t], two-pass sample std).
 *
 * <p>Tolerances: means to 1e-9 relative. Stds to 1e-9 relative to {@code max(std, spread)}, where
 * spread is the series' own standard deviation: a method built on differenced running sums has an
 * absolute variance error of order ε·(running sum of squares), so where two neighbours happen to be
 * almost equal (a 15-minute window with std 0.05 in a series with spread 30 — measured 4.5e-9
 * relative on one window of ~600) the error relative to that tiny std exceeds 1e-9 while staying
 * ~1e-11 of the spread. Without the offset the error is ~1e-5 of the spread on the 50,000 ± 5 data
 * (asserted below), so this tolerance still tells the offset trick from raw sums.
 */
class RollingStatsStageTest {
  private static final int STEP = 5;
  private static final int[] WINDOWS = {15, 60, 1440};
  private static final int THREE_DAYS = 3 * 288;
  private static final double REL = 1e-9;

  /** Naive reference: the values at the instants in (t − w, t], two-pass sample std. */
  record Expected(Double mean, Double std) {}

  static Expected naive(Double[] values, int index, int windowMinutes) {
    int rows = windowMinutes / STEP;
    List<Double> present = new ArrayList<>();
    for (int j = index - rows + 1; j <= index; j++) {
      if (j >= 0 && values[j] != null) {
        present.add(values[j]);
      }
    }
    if (2 * present.size() < rows || present.isEmpty()) { // fewer than half present
      return new Expected(null, null);
    }
    double sum = 0;
    for (double v : present) {
      sum += v;
    }
    double mean = sum / present.size();
    if (present.size() < 2) {
      return new Expected(mean, null);
    }
    double squares = 0;
    for (double v : present) {
      squares += (v - mean) * (v - mean);
    }
    return new Expected(mean, Math.sqrt(squares / (present.size() - 1)));
  }

  /** Three days of noise around {@code level} with single gaps, a 50-minute gap and a 20-hour one. */
  static Double[] noisySeries(long seed, double level, double spread) {
    Random random = new Random(seed);
    Double[] values = new Double[THREE_DAYS];
    for (int i = 0; i < values.length; i++) {
      boolean gap = random.nextDouble() < 0.03 || (i >= 100 && i < 110) || (i >= 400 && i < 640);
      values[i] = gap ? null : level + spread * (2 * random.nextDouble() - 1) + spread * random.nextGaussian();
    }
    return values;
  }

  /** Sample standard deviation of the present values of a whole series. */
  static double spread(Double[] values) {
    double sum = 0;
    int n = 0;
    for (Double v : values) {
      if (v != null) {
        sum += v;
        n++;
      }
    }
    double mean = sum / n;
    double squares = 0;
    for (Double v : values) {
      if (v != null) {
        squares += (v - mean) * (v - mean);
      }
    }
    return Math.sqrt(squares / (n - 1));
  }

  static void assertStdClose(Double expected, Double actual, double spread, String what) {
    if (expected == null) {
      assertNull(actual, what + ": expected null");
      return;
    }
    assertNotNull(actual, what + ": expected " + expected + " but was null");
    double scale = Math.max(expected, spread);
    assertTrue(
        Math.abs(actual - expected) <= REL * scale,
        () -> what + ": expected " + expected + " but was " + actual + " (error/scale "
            + Math.abs(actual - expected) / scale + ")");
  }

  private static void checkAgainstNaive(Map<String, Double[]> series, Instant start) {
    List<Point> points = new ArrayList<>();
    series.forEach((region, values) -> points.addAll(Frames.grid(region, start, STEP, values)));
    RollingStatsStage stage = new RollingStatsStage().setWindowsMinutes(WINDOWS);
    Map<String, Row> rows = Frames.byRegionAndTs(stage.transform(Frames.series(points)), SeriesColumns.TS);
    assertEquals(points.size(), rows.size());
    int[] nonNullStd = new int[WINDOWS.length];
    int[] nullMean = new int[WINDOWS.length];
    for (Map.Entry<String, Double[]> entry : series.entrySet()) {
      Double[] values = entry.getValue();
      double spread = spread(values);
      for (int i = 0; i < values.length; i++) {
        Instant t = start.plusSeconds(60L * STEP * i);
        Row row = rows.get(Frames.key(entry.getKey(), t));
        for (int w = 0; w < WINDOWS.length; w++) {
          Expected expected = naive(values, i, WINDOWS[w]);
          String what = entry.getKey() + " " + t + " window " + WINDOWS[w];
          Frames.assertClose(expected.mean(), row.getAs(FeatureTable.rollingMean(WINDOWS[w])), REL, what + " mean");
          assertStdClose(expected.std(), row.getAs(FeatureTable.rollingStd(WINDOWS[w])), spread, what + " std");
          nonNullStd[w] += expected.std() == null ? 0 : 1;
          nullMean[w] += expected.mean() == null ? 1 : 0;
        }
      }
    }
    for (int w = 0; w < WINDOWS.length; w++) {
      assertTrue(nonNullStd[w] > 400, "window " + WINDOWS[w] + " checked " + nonNullStd[w] + " stds");
      assertTrue(nullMean[w] > 0, "window " + WINDOWS[w] + " also checked the null rule");
    }
  }

  @Test
  void meanAndStdMatchANaiveLoopOverThreeDaysOfNoisyDataWithGaps() {
    checkAgainstNaive(
        Map.of("A", noisySeries(11, 1000, 80), "B", noisySeries(12, 250, 30)),
        at("2024-02-01T00:00:00Z"));
  }

  @Test
  void largeMagnitudeDataKeepsTheStdAccurate() {
    Double[] values = noisySeries(13, 50_000, 5);
    checkAgainstNaive(Map.of("BIG", values), at("2024-02-01T00:00:00Z"));

    // Control: the same running-sum method WITHOUT the offset, in plain doubles, misses the naive
    // two-pass std by orders of magnitude more than the tolerance — so the check above can tell.
    double spread = spread(values);
    int rows = 15 / STEP;
    double[] s1 = new double[values.length + 1];
    double[] s2 = new double[values.length + 1];
    int[] n = new int[values.length + 1];
    double worst = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i] == null ? 0 : values[i];
      s1[i + 1] = s1[i] + v;
      s2[i + 1] = s2[i] + v * v;
      n[i + 1] = n[i] + (values[i] == null ? 0 : 1);
      int from = Math.max(0, i + 1 - rows);
      int count = n[i + 1] - n[from];
      Expected expected = naive(values, i, 15);
      if (expected.std() != null) {
        double a = s1[i + 1] - s1[from];
        double b = s2[i + 1] - s2[from];
        double unshifted = Math.sqrt(Math.max(0, (b - a * a / count) / (count - 1)));
        worst = Math.max(worst, Math.abs(unshifted - expected.std()) / Math.max(expected.std(), spread));
      }
    }
    assertTrue(worst > 1000 * REL, "unshifted running sums should lose digits here, worst " + worst);
  }

  @Test
  void aWindowWithFewerThanHalfItsValuesPresentIsNull() {
    Instant start = at("2024-02-01T00:00:00Z");
    // 24 five-minute rows; 1-hour window = 12 rows, needs >= 6 present; 15-min = 3 rows, needs >= 2.
    Double[] values = new Double[24];
    for (int i = 0; i < 24; i++) {
      values[i] = 10.0 + i;
    }
    for (int i = 6; i <= 11; i++) {
      values[i] = null; // rows 0-5 present, 6-11 missing: at row 11 exactly 6 of 12 are present
    }
    values[12] = null; // at row 12: rows 1-5 present = 5 of 12 → null
    List<Point> points = Frames.grid("A", start, STEP, values);
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new RollingStatsStage()
                .setWindowsMinutes(new int[] {5, 15, 60})
                .transform(Frames.series(points)),
            SeriesColumns.TS);
    Row at11 = rows.get(Frames.key("A", start.plusSeconds(300L * 11)));
    Row at12 = rows.get(Frames.key("A", start.plusSeconds(300L * 12)));
    Row at13 = rows.get(Frames.key("A", start.plusSeconds(300L * 13)));
    Row at14 = rows.get(Frames.key("A", start.plusSeconds(300L * 14)));
    Row at2 = rows.get(Frames.key("A", start.plusSeconds(300L * 2)));

    // Exactly half present: a value (mean of 10..15 = 12.5).
    Frames.assertClose(12.5, at11.getAs(FeatureTable.rollingMean(60)), REL, "6 of 12");
    assertNotNull(at11.getAs(FeatureTable.rollingStd(60)));
    // Fewer than half: null mean and std.
    assertNull(at12.getAs(FeatureTable.rollingMean(60)), "5 of 12");
    assertNull(at12.getAs(FeatureTable.rollingStd(60)), "5 of 12");
    // 15 minutes = rows 11-13 at row 13: only row 13 present (1 of 3) → null; at 14: 2 of 3 → value.
    assertNull(at13.getAs(FeatureTable.rollingMean(15)));
    Frames.assertClose((23.0 + 24.0) / 2, at14.getAs(FeatureTable.rollingMean(15)), REL, "2 of 3");
    // A one-value window: the mean is the value, the std needs two values.
    Frames.assertClose(12.0, at2.getAs(FeatureTable.rollingMean(5)), REL, "1 of 1");
    assertNull(at2.getAs(FeatureTable.rollingStd(5)));
    // At the start the window reaches before the series: row 0 has 1 of 12 → null; rows 0-5 of 12 at 5.
    assertNull(rows.get(Frames.key("A", start)).getAs(FeatureTable.rollingMean(60)));
    Frames.assertClose(
        12.5, rows.get(Frames.key("A", start.plusSeconds(300L * 5))).getAs(FeatureTable.rollingMean(60)),
        REL, "6 of 12 at the start");
    // And the whole series agrees with the naive loop.
    for (int i = 0; i < values.length; i++) {
      Row row = rows.get(Frames.key("A", start.plusSeconds(300L * i)));
      for (int w : new int[] {5, 15, 60}) {
        Expected e = naive(values, i, w);
        Frames.assertClose(e.mean(), row.getAs(FeatureTable.rollingMean(w)), REL, "row " + i + " w " + w);
        assertStdClose(e.std(), row.getAs(FeatureTable.rollingStd(w)), spread(values), "row " + i + " w " + w);
      }
    }
  }

  @Test
  void onInputThatIsNotARegularGridTheWindowIsNullNotShifted() {
    Instant start = at("2024-02-01T00:00:00Z");
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      if (i != 4) { // 00:20 has no row at all: rows no longer equal time
        points.add(new Point("A", start.plusSeconds(300L * i), (double) i));
      }
    }
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new RollingStatsStage().setWindowsMinutes(new int[] {15}).transform(Frames.series(points)),
            SeriesColumns.TS);
    // At 00:25 the row 3 back is 00:05 (20 min earlier): the 15-min window cannot be read by rows.
    assertNull(rows.get(Frames.key("A", start.plusSeconds(1500))).getAs(FeatureTable.rollingMean(15)));
    // At 00:15 the grid is regular behind it: mean of 1, 2, 3.
    Frames.assertClose(2.0, rows.get(Frames.key("A", start.plusSeconds(900))).getAs(FeatureTable.rollingMean(15)), REL, "00:15");
  }
}
