package io.nowcast.features.weather;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.Frames;
import io.nowcast.features.Frames.Point;
import io.nowcast.features.SeriesColumns;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WeatherAlignerTest {
  private static final StructType WEATHER =
      new StructType()
          .add(RawWeatherTable.STATION, DataTypes.StringType)
          .add(RawWeatherTable.TS, DataTypes.TimestampType)
          .add(RawWeatherTable.TEMP_C, DataTypes.DoubleType)
          .add(RawWeatherTable.WIND_MPS, DataTypes.DoubleType);

  record Obs(String station, Instant ts, Double temp) {}

  private static Dataset<Row> weather(List<Obs> observations) {
    List<Row> rows = new ArrayList<>();
    for (Obs o : observations) {
      rows.add(RowFactory.create(o.station(), Frames.ts(o.ts()), o.temp(), 3.0));
    }
    return Frames.spark().createDataFrame(rows, WEATHER);
  }

  private static Region region(String name, Map<String, Double> stations) {
    return new Region(name, ZoneId.of("America/New_York"), "US-NY", stations);
  }

  private static List<Point> grid(String region, Instant from, int steps) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      points.add(new Point(region, from.plusSeconds(300L * i), 100.0));
    }
    return points;
  }

  @Test
  void asOfSemanticsWeightedMeanAndAge() {
    Instant t0 = at("2024-06-01T10:00:00Z");
    RegionMap regions =
        new RegionMap(
            List.of(
                region("R", Map.of("A", 3.0, "B", 1.0)),
                region("EMPTY", Map.of())));
    List<Obs> obs =
        List.of(
            new Obs("A", t0, 10.0), // exactly at the 10:00 instant: used at 10:00
            new Obs("B", t0.minusSeconds(600), 20.0), // 09:50
            new Obs("A", t0.plusSeconds(301), 100.0), // 10:05:01 — one second after 10:05: not at 10:05
            new Obs("B", t0.plusSeconds(600), null), // a null temperature is no observation
            new Obs("B", t0.plusSeconds(900), 40.0)); // 10:15
    List<Point> points = new ArrayList<>(grid("R", t0.minusSeconds(900), 8)); // 09:45 … 10:20
    points.addAll(grid("EMPTY", t0, 2));
    Map<String, Row> rows =
        Frames.byRegionAndTs(WeatherAligner.align(Frames.series(points), weather(obs), regions), SeriesColumns.TS);

    // 09:45: nothing reported yet.
    assertNull(rows.get(Frames.key("R", t0.minusSeconds(900))).getAs(WeatherAligner.TEMP_C));
    assertNull(rows.get(Frames.key("R", t0.minusSeconds(900))).getAs(WeatherAligner.WEATHER_AGE_MIN));
    // 09:50 and 09:55: only B (weight renormalised to 1), 0 and 5 minutes old.
    check(rows, "R", t0.minusSeconds(600), 20.0, 0.0);
    check(rows, "R", t0.minusSeconds(300), 20.0, 5.0);
    // 10:00: A at exactly 10:00 counts; (3·10 + 1·20) / 4; the oldest used is B from 09:50.
    check(rows, "R", t0, (3 * 10.0 + 20.0) / 4, 10.0);
    // 10:05: A's 10:05:01 observation is in the future — still the 10:00 one.
    check(rows, "R", t0.plusSeconds(300), (3 * 10.0 + 20.0) / 4, 15.0);
    // 10:10: A = 100 (10:05:01); B's 10:10 report has no temperature, so B is still 09:50's 20.
    check(rows, "R", t0.plusSeconds(600), (3 * 100.0 + 20.0) / 4, 20.0);
    // 10:15: B = 40 at exactly 10:15; the oldest used is A at 10:05:01 → 9 min 59 s.
    check(rows, "R", t0.plusSeconds(900), (3 * 100.0 + 40.0) / 4, (900 - 301) / 60.0);
    // A region without stations gets nulls.
    assertNull(rows.get(Frames.key("EMPTY", t0)).getAs(WeatherAligner.TEMP_C));
    assertNull(rows.get(Frames.key("EMPTY", t0)).getAs(WeatherAligner.WEATHER_AGE_MIN));
    // The grid's own columns pass through untouched.
    assertEquals(100.0, (Double) rows.get(Frames.key("R", t0)).getAs(SeriesColumns.LOAD));
  }

  private static void check(Map<String, Row> rows, String region, Instant t, double temp, double age) {
    Row row = rows.get(Frames.key(region, t));
    Frames.assertClose(temp, row.getAs(WeatherAligner.TEMP_C), 1e-12, region + " " + t + " temp");
    Frames.assertClose(age, row.getAs(WeatherAligner.WEATHER_AGE_MIN), 1e-12, region + " " + t + " age");
  }

  @Test
  void matchesANaiveAsOfLoopWithStationsReportingAtDifferentMinutes() {
    Random random = new Random(3);
    Map<String, Double> r1 = Map.of("S1", 0.5, "S2", 2.0, "S3", 1.0);
    Map<String, Double> r2 = Map.of("S2", 1.0); // S2 serves two regions
    RegionMap regions = new RegionMap(List.of(region("R1", r1), region("R2", r2)));
    Instant start = at("2024-06-01T00:00:00Z");
    List<Obs> obs = new ArrayList<>();
    for (String station : List.of("S1", "S2", "S3", "UNUSED")) {
      // Roughly hourly reports at station-specific, jittered minutes and seconds; some missing.
      for (int hour = 0; hour < 8; hour++) {
        if (random.nextDouble() < 0.15) {
          continue;
        }
        Instant t = start.plusSeconds(3600L * hour + 60L * (40 + random.nextInt(20)) + random.nextInt(3) * 30L);
        obs.add(new Obs(station, t, random.nextDouble() < 0.1 ? null : 15 + 10 * random.nextGaussian()));
      }
    }
    List<Point> points = new ArrayList<>(grid("R1", start, 96));
    points.addAll(grid("R2", start.plusSeconds(3600), 60));
    Map<String, Row> rows =
        Frames.byRegionAndTs(WeatherAligner.align(Frames.series(points), weather(obs), regions), SeriesColumns.TS);
    assertEquals(points.size(), rows.size(), "one output row per grid row");

    int withWeather = 0;
    for (Point p : points) {
      Map<String, Double> stations = p.region().equals("R1") ? r1 : r2;
      double weighted = 0;
      double weights = 0;
      Instant oldest = null;
      for (Map.Entry<String, Double> station : stations.entrySet()) {
        Obs latest = null;
        for (Obs o : obs) {
          if (o.station().equals(station.getKey()) && o.temp() != null && !o.ts().isAfter(p.ts())
              && (latest == null || o.ts().isAfter(latest.ts()))) {
            latest = o;
          }
        }
        if (latest != null) {
          weighted += station.getValue() * latest.temp();
          weights += station.getValue();
          oldest = oldest == null || latest.ts().isBefore(oldest) ? latest.ts() : oldest;
        }
      }
      Row row = rows.get(Frames.key(p.region(), p.ts()));
      String what = p.region() + " " + p.ts();
      if (weights == 0) {
        assertNull(row.getAs(WeatherAligner.TEMP_C), what);
        assertNull(row.getAs(WeatherAligner.WEATHER_AGE_MIN), what);
      } else {
        withWeather++;
        Frames.assertClose(weighted / weights, row.getAs(WeatherAligner.TEMP_C), 1e-12, what + " temp");
        double age = (p.ts().getEpochSecond() - oldest.getEpochSecond()) / 60.0;
        Frames.assertClose(age, row.getAs(WeatherAligner.WEATHER_AGE_MIN), 1e-12, what + " age");
      }
    }
    assertTrue(withWeather > 100, "most instants had weather: " + withWeather);
  }

  @Test
  void humidityAndDewPointAreAlignedOnTheirOwnAndAbsentColumnsComeOutNull() {
    StructType schema =
        new StructType()
            .add(RawWeatherTable.STATION, DataTypes.StringType)
            .add(RawWeatherTable.TS, DataTypes.TimestampType)
            .add(RawWeatherTable.TEMP_C, DataTypes.DoubleType)
            .add(RawWeatherTable.RH_PCT, DataTypes.DoubleType)
            .add(RawWeatherTable.DEWPOINT_C, DataTypes.DoubleType);
    Random random = new Random(11);
    Map<String, Double> stations = Map.of("S1", 1.0, "S2", 3.0);
    RegionMap regions = new RegionMap(List.of(region("R", stations)));
    Instant start = at("2024-06-01T00:00:00Z");
    // {station, epoch second, temp, rh, dew}; every variable is missing in some reports.
    List<Object[]> reports = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (String station : List.of("S1", "S2")) {
      for (int hour = 0; hour < 6; hour++) {
        Instant t = start.plusSeconds(3600L * hour + 60L * (station.equals("S1") ? 51 : 20 + random.nextInt(30)));
        Double temp = random.nextDouble() < 0.2 ? null : 20 + 5 * random.nextGaussian();
        Double rh = random.nextDouble() < 0.3 ? null : 50 + 20 * random.nextDouble();
        Double dew = random.nextDouble() < 0.3 ? null : 10 + 3 * random.nextGaussian();
        reports.add(new Object[] {station, t, temp, rh, dew});
        rows.add(RowFactory.create(station, Frames.ts(t), temp, rh, dew));
      }
    }
    Dataset<Row> weather = Frames.spark().createDataFrame(rows, schema);
    List<Point> points = grid("R", start, 72);
    Map<String, Row> out =
        Frames.byRegionAndTs(WeatherAligner.align(Frames.series(points), weather, regions), SeriesColumns.TS);
    String[] names = {WeatherAligner.TEMP_C, WeatherAligner.RH_PCT, WeatherAligner.DEWPOINT_C};
    int[] nonNull = new int[3];
    for (Point p : points) {
      for (int v = 0; v < 3; v++) {
        double weighted = 0;
        double weights = 0;
        for (Map.Entry<String, Double> station : stations.entrySet()) {
          Object[] latest = null;
          for (Object[] r : reports) {
            Instant t = (Instant) r[1];
            if (r[0].equals(station.getKey()) && r[2 + v] != null && !t.isAfter(p.ts())
                && (latest == null || t.isAfter((Instant) latest[1]))) {
              latest = r;
            }
          }
          if (latest != null) {
            weighted += station.getValue() * (Double) latest[2 + v];
            weights += station.getValue();
          }
        }
        Double expected = weights == 0 ? null : weighted / weights;
        Frames.assertClose(expected, out.get(Frames.key("R", p.ts())).getAs(names[v]), 1e-12, p.ts() + " " + names[v]);
        nonNull[v] += expected == null ? 0 : 1;
      }
    }
    for (int v = 0; v < 3; v++) {
      assertTrue(nonNull[v] > 40, names[v] + " checked " + nonNull[v]);
    }
    // The first test's input has no humidity or dew point columns: they come out null.
    Map<String, Row> noHumidity =
        Frames.byRegionAndTs(
            WeatherAligner.align(
                Frames.series(points), weather(List.of(new Obs("S1", start, 10.0))), regions),
            SeriesColumns.TS);
    Row row = noHumidity.get(Frames.key("R", start.plusSeconds(600)));
    assertEquals(10.0, (Double) row.getAs(WeatherAligner.TEMP_C));
    assertNull(row.getAs(WeatherAligner.RH_PCT));
    assertNull(row.getAs(WeatherAligner.DEWPOINT_C));
  }
}
