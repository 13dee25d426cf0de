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
import io.nowcast.features.grid.RegularGridStage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LoadLagStageTest {
  private static final int[] LAGS = {5, 15, 60, 120};

  @Test
  void lagsMatchANaiveLookupExactlyKMinutesEarlierAcrossGaps() {
    Random random = new Random(7);
    List<Point> raw = new ArrayList<>();
    Map<String, Double> value = new HashMap<>();
    for (String region : List.of("A", "B")) {
      Instant start = region.equals("A") ? at("2024-01-10T00:00:00Z") : at("2024-01-10T01:20:00Z");
      int steps = region.equals("A") ? 96 : 60;
      for (int i = 0; i < steps; i++) {
        Instant t = start.plusSeconds(300L * i);
        boolean absent = (i >= 20 && i < 27) || random.nextDouble() < 0.08; // a 35-min hole + holes
        if (absent && i > 0 && i < steps - 1) {
          continue;
        }
        Double load = random.nextDouble() < 0.05 ? null : 1000 * (region.equals("A") ? 1 : 3) + random.nextGaussian() * 50;
        raw.add(new Point(region, t, load));
        value.put(Frames.key(region, t), load);
      }
    }

    Dataset<Row> grid = new RegularGridStage().transform(Frames.series(raw));
    Dataset<Row> out = new LoadLagStage().setLagsMinutes(LAGS).transform(grid);
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);

    assertEquals(96 + 60, rows.size(), "one row per grid instant");
    int nonNull = 0;
    int nullBecauseSourceMissing = 0;
    for (Row row : rows.values()) {
      String region = row.getAs(SeriesColumns.REGION);
      Instant t = ((Timestamp) row.getAs(SeriesColumns.TS)).toInstant();
      assertEquals(value.get(Frames.key(region, t)), row.getAs(FeatureTable.LOAD_NOW));
      for (int lag : LAGS) {
        Instant source = t.minusSeconds(60L * lag);
        Double expected = value.get(Frames.key(region, source)); // null: absent, null or before start
        Double actual = row.getAs(FeatureTable.lag(lag));
        assertEquals(expected, actual, region + " " + t + " lag " + lag);
        if (actual != null) {
          nonNull++;
          // The lag is the load_now of the row exactly `lag` minutes earlier.
          assertEquals(actual, rows.get(Frames.key(region, source)).getAs(FeatureTable.LOAD_NOW));
        } else if (rows.containsKey(Frames.key(region, source))) {
          nullBecauseSourceMissing++;
        }
      }
    }
    assertTrue(nonNull > 400, "enough non-null lags were checked: " + nonNull);
    assertTrue(nullBecauseSourceMissing > 20, "gaps were crossed: " + nullBecauseSourceMissing);
  }

  @Test
  void onInputThatIsNotARegularGridALagIsNullRatherThanFromAnotherTime() {
    Instant t0 = at("2024-01-10T00:00:00Z");
    List<Point> raw =
        List.of(
            new Point("A", t0, 1.0),
            new Point("A", t0.plusSeconds(300), 2.0),
            new Point("A", t0.plusSeconds(900), 4.0)); // 00:10 has no row at all
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new LoadLagStage().setLagsMinutes(new int[] {5, 10}).transform(Frames.series(raw)),
            SeriesColumns.TS);
    Row last = rows.get(Frames.key("A", t0.plusSeconds(900)));
    // Read by rows, 1 row back is 00:05 (10 min) and 2 rows back 00:00 (15 min): neither is the
    // asked-for time, so both lags are null instead of silently shifted values.
    assertNull(last.getAs(FeatureTable.lag(5)), "the previous row is 10 minutes back, not 5");
    assertNull(last.getAs(FeatureTable.lag(10)), "two rows back is 15 minutes back, not 10");
    // Where the rows behind are regular, the lag is read normally.
    Row second = rows.get(Frames.key("A", t0.plusSeconds(300)));
    assertEquals(1.0, (Double) second.getAs(FeatureTable.lag(5)));
  }

  @Test
  void rejectsLagsThatAreNotPositiveMultiplesOfTheStep() {
    Dataset<Row> input = Frames.series(List.of(new Point("A", at("2024-01-10T00:00:00Z"), 1.0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoadLagStage().setLagsMinutes(new int[] {7}).transform(input));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoadLagStage().setLagsMinutes(new int[] {0}).transform(input));
  }
}
