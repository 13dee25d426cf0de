package io.nowcast.features.target;

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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TargetStageTest {

  @Test
  void targetIsTheLoadExactlyHMinutesLaterAndNullAtTheEnd() {
    Instant start = at("2024-05-01T00:00:00Z");
    List<Point> raw = new ArrayList<>();
    Map<String, Double> value = new HashMap<>();
    for (String region : List.of("A", "B")) {
      int steps = region.equals("A") ? 40 : 25;
      for (int i = 0; i < steps; i++) {
        if (region.equals("A") && (i == 10 || i == 11 || i == 30)) {
          continue; // gaps
        }
        Instant t = start.plusSeconds(300L * i);
        double load = (region.equals("A") ? 500 : 70) + 3.0 * i + (i % 4) * 0.25;
        raw.add(new Point(region, t, load));
        value.put(Frames.key(region, t), load);
      }
    }
    Dataset<Row> grid = new RegularGridStage().transform(Frames.series(raw));
    Dataset<Row> out = new TargetStage().setHorizonsMinutes(new int[] {15, 30, 60}).transform(grid);
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);
    assertEquals(40 + 25, rows.size());

    int nonNull = 0;
    for (Row row : rows.values()) {
      String region = row.getAs(SeriesColumns.REGION);
      Instant t = ((Timestamp) row.getAs(SeriesColumns.TS)).toInstant();
      for (int h : new int[] {15, 30, 60}) {
        Double expected = value.get(Frames.key(region, t.plusSeconds(60L * h)));
        Double actual = row.getAs(FeatureTable.target(h));
        assertEquals(expected, actual, region + " " + t + " y_h" + h);
        nonNull += actual == null ? 0 : 1;
      }
    }
    assertTrue(nonNull > 100);
    // At the end of each series there is nothing 15 minutes later.
    Instant lastA = start.plusSeconds(300L * 39);
    assertNull(rows.get(Frames.key("A", lastA)).getAs(FeatureTable.target(15)));
    assertNull(rows.get(Frames.key("A", lastA.minusSeconds(600))).getAs(FeatureTable.target(15)));
    assertEquals(
        value.get(Frames.key("A", lastA)),
        rows.get(Frames.key("A", lastA.minusSeconds(900))).getAs(FeatureTable.target(15)));
    assertNull(rows.get(Frames.key("B", start.plusSeconds(300L * 24))).getAs(FeatureTable.target(15)));
    // Across the gap: 00:35 + 15 min = 00:50 (row 10) is missing → null, not the next present value.
    assertNull(rows.get(Frames.key("A", start.plusSeconds(300L * 7))).getAs(FeatureTable.target(15)));
  }

  @Test
  void rejectsHorizonsThatAreNotMultiplesOfTheStep() {
    Dataset<Row> input = Frames.series(List.of(new Point("A", at("2024-05-01T00:00:00Z"), 1.0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TargetStage().setHorizonsMinutes(new int[] {12}).transform(input));
  }
}
