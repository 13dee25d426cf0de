package io.nowcast.features.grid;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.Frames;
import io.nowcast.features.Frames.Point;
import io.nowcast.features.SeriesColumns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class RegularGridStageTest {

  @Test
  void gapsBecomeMissingRowsOnePerRegionAndInstantForRegionsWithDifferentSpans() {
    List<Point> raw = new ArrayList<>();
    // Region A: 00:00 … 01:00 with gaps at 00:10, 00:15 (absent rows) and 00:40 (explicit null).
    Instant a0 = at("2024-03-01T00:00:00Z");
    for (int i = 0; i <= 12; i++) {
      if (i == 2 || i == 3) {
        continue;
      }
      raw.add(new Point("A", a0.plusSeconds(300L * i), i == 8 ? null : 100.0 + i));
    }
    // Region B: a later, shorter span 00:35 … 00:55 with 00:45 absent, plus an off-grid stamp
    // before its first on-grid one (must not shift the grid) and one inside the span.
    Instant b0 = at("2024-03-01T00:35:00Z");
    raw.add(new Point("B", at("2024-03-01T00:33:00Z"), 999.0));
    raw.add(new Point("B", b0, 7.0));
    raw.add(new Point("B", b0.plusSeconds(300), 8.0));
    raw.add(new Point("B", at("2024-03-01T00:47:30Z"), 998.0));
    raw.add(new Point("B", b0.plusSeconds(900), 10.0));
    raw.add(new Point("B", b0.plusSeconds(1200), 11.0));

    Dataset<Row> out = new RegularGridStage().setStepMinutes(5).transform(Frames.series(raw));

    // Expected, independently: per region every 5-minute instant between its first and last
    // on-grid stamp; the load where the raw data has one at exactly that instant, else missing.
    Map<String, Double> rawByKey = new HashMap<>();
    Map<String, Instant[]> span = new HashMap<>();
    for (Point p : raw) {
      if (p.ts().getEpochSecond() % 300 != 0) {
        continue;
      }
      rawByKey.put(Frames.key(p.region(), p.ts()), p.load());
      span.merge(
          p.region(),
          new Instant[] {p.ts(), p.ts()},
          (x, y) -> new Instant[] {min(x[0], y[0]), max(x[1], y[1])});
    }
    List<Object[]> expected = new ArrayList<>();
    for (String region : List.of("A", "B")) {
      for (Instant t = span.get(region)[0]; !t.isAfter(span.get(region)[1]); t = t.plusSeconds(300)) {
        Double load = rawByKey.get(Frames.key(region, t));
        expected.add(new Object[] {region, t, load, load == null ? 1 : 0});
      }
    }

    List<Row> rows = out.orderBy(SeriesColumns.REGION, SeriesColumns.TS).collectAsList();
    assertEquals(13 + 5, expected.size(), "test data: A has 13 instants, B has 5");
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      Object[] e = expected.get(i);
      String what = "row " + i + " " + e[0] + " " + e[1];
      assertEquals(e[0], row.getAs(SeriesColumns.REGION), what);
      assertEquals(e[1], ((Timestamp) row.getAs(SeriesColumns.TS)).toInstant(), what);
      assertEquals(e[2], row.getAs(SeriesColumns.LOAD), what);
      assertEquals(e[3], row.getAs(FeatureTable.IS_MISSING), what);
    }
    assertEquals(
        List.of(SeriesColumns.REGION, SeriesColumns.TS, SeriesColumns.LOAD, FeatureTable.IS_MISSING),
        List.of(out.columns()));
    Frames.assertSameColumns(new RegularGridStage().transformSchema(Frames.SERIES), out.schema());
    long missingA = rows.stream().filter(r -> r.getString(0).equals("A") && r.getInt(3) == 1).count();
    assertEquals(3, missingA, "00:10, 00:15 and 00:40 of A are missing");
  }

  @Test
  void duplicateStampsCollapseToOneRow() {
    Instant t0 = at("2024-03-01T00:00:00Z");
    List<Point> raw =
        List.of(
            new Point("A", t0, 5.0),
            new Point("A", t0, 6.0),
            new Point("A", t0, null),
            new Point("A", t0.plusSeconds(300), 1.0),
            new Point("A", t0.plusSeconds(300), 1.0));
    List<Row> rows =
        new RegularGridStage()
            .transform(Frames.series(raw))
            .orderBy(SeriesColumns.TS)
            .collectAsList();
    assertEquals(2, rows.size());
    assertEquals(6.0, rows.get(0).getAs(SeriesColumns.LOAD), "largest non-null value is kept");
    assertEquals(0, (int) rows.get(0).getAs(FeatureTable.IS_MISSING));
    assertEquals(1.0, rows.get(1).getAs(SeriesColumns.LOAD));
  }

  @Test
  void fifteenMinuteStepAnchorsAtTheEpoch() {
    List<Point> raw =
        List.of(
            new Point("A", at("2024-03-01T00:05:00Z"), 1.0), // off a 15-minute grid
            new Point("A", at("2024-03-01T00:15:00Z"), 2.0),
            new Point("A", at("2024-03-01T00:45:00Z"), 4.0));
    List<Row> rows =
        new RegularGridStage()
            .setStepMinutes(15)
            .transform(Frames.series(raw))
            .orderBy(SeriesColumns.TS)
            .collectAsList();
    assertEquals(3, rows.size());
    assertEquals(at("2024-03-01T00:15:00Z"), ((Timestamp) rows.get(0).getAs(SeriesColumns.TS)).toInstant());
    assertEquals(at("2024-03-01T00:30:00Z"), ((Timestamp) rows.get(1).getAs(SeriesColumns.TS)).toInstant());
    assertTrue(rows.get(1).isNullAt(2));
    assertEquals(1, (int) rows.get(1).getAs(FeatureTable.IS_MISSING));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
