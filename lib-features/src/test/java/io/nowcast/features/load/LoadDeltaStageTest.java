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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LoadDeltaStageTest {
  private static final int[] DELTAS = {5, 1440, 10080};

  @Test
  void deltasAreLoadNowMinusTheLoadExactlyKMinutesEarlierAcrossDstAndGaps() {
    // Eight and a half days around the 2023-11-05 fall-back in New York: on the UTC grid "1 day
    // earlier" is 24 h of real time, so the local clock reads 1 h different across the change.
    Random random = new Random(5);
    Instant start = at("2023-10-29T00:00:00Z");
    List<Point> raw = new ArrayList<>();
    Map<String, Double> value = new HashMap<>();
    int steps = 8 * 288 + 144;
    for (int i = 0; i < steps; i++) {
      Instant t = start.plusSeconds(300L * i);
      if (i > 0 && i < steps - 1 && random.nextDouble() < 0.05) {
        continue; // absent row: the grid makes it an explicit missing value
      }
      Double load = random.nextDouble() < 0.03 ? null : 4000 + 500 * Math.sin(i / 50.0) + random.nextGaussian();
      raw.add(new Point("A", t, load));
      value.put(Frames.key("A", t), load);
    }
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new LoadDeltaStage()
                .setDeltasMinutes(DELTAS)
                .transform(new RegularGridStage().transform(Frames.series(raw))),
            SeriesColumns.TS);
    assertEquals(steps, rows.size());
    int[] nonNull = new int[DELTAS.length];
    for (Row row : rows.values()) {
      Instant t = ((Timestamp) row.getAs(SeriesColumns.TS)).toInstant();
      Double now = value.get(Frames.key("A", t));
      for (int k = 0; k < DELTAS.length; k++) {
        Double before = value.get(Frames.key("A", t.minusSeconds(60L * DELTAS[k])));
        Double expected = now == null || before == null ? null : now - before;
        assertEquals(expected, row.getAs(FeatureTable.delta(DELTAS[k])), t + " delta " + DELTAS[k]);
        nonNull[k] += expected == null ? 0 : 1;
      }
    }
    for (int k = 0; k < DELTAS.length; k++) {
      assertTrue(nonNull[k] > 200, "delta " + DELTAS[k] + ": " + nonNull[k] + " values checked");
    }
    // Spot check across the change: 2023-11-05 12:00Z is 07:00 EST; one day earlier is 12:00Z on
    // 11-04, 08:00 EDT. Nothing else is read.
    Instant t = at("2023-11-05T12:00:00Z");
    Double now = value.get(Frames.key("A", t));
    Double yesterday = value.get(Frames.key("A", at("2023-11-04T12:00:00Z")));
    Double expected = now == null || yesterday == null ? null : now - yesterday;
    assertEquals(expected, rows.get(Frames.key("A", t)).getAs(FeatureTable.delta(1440)));
  }

  @Test
  void onInputThatIsNotARegularGridADeltaIsNullAndBadDeltasAreRejected() {
    Instant t0 = at("2024-01-10T00:00:00Z");
    List<Point> raw =
        List.of(new Point("A", t0, 1.0), new Point("A", t0.plusSeconds(600), 4.0)); // 00:05 absent
    Map<String, Row> rows =
        Frames.byRegionAndTs(
            new LoadDeltaStage().setDeltasMinutes(new int[] {5}).transform(Frames.series(raw)),
            SeriesColumns.TS);
    assertNull(rows.get(Frames.key("A", t0.plusSeconds(600))).getAs(FeatureTable.delta(5)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoadDeltaStage().setDeltasMinutes(new int[] {3}).transform(Frames.series(raw)));
  }
}
