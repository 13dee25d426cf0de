package io.nowcast.ingest.weather;

import static io.nowcast.ingest.weather.WeatherFixtures.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.LoopbackHttpServer.Fault;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meteostat bulk hourly files (gzip CSV, no header, 13 columns: date, hour, temp, dwpt, rhum, prcp, snow,
 * wdir, wspd, wpgt, pres, tsun, coco) through the parser and through a loopback server.
 */
class MeteostatTest {
  private static final List<String> LINES = List.of(
      "2018-12-31,23,5.0,1.0,76,0.0,,250,18.0,,1012.1,,3",
      "2019-06-01,0,21.3,12.4,57,0.3,,200,14.4,27.8,1016.0,,2",
      "2019-06-01,1,20.6,,,,,,,,1016.4,,",
      "2019-06-01,2,20.1,12.0",
      "2019-06-31,3,20.1,12.0,60,0.0,,190,10.8,,1016.5,,1",
      "2020-01-01,0,2.0,-3.0,70,0.0,,0,0.0,,1020.0,,1");

  @Test
  void parsesUnitsMissingValuesAndSkipsOtherYears() {
    WeatherParseResult r = new MeteostatParser(2019, 2019).parse("http://x/v2/hourly/72518.csv.gz", gzip(LINES));
    assertEquals(2, r.skipped()); // the 2018 and 2020 lines
    assertEquals(2, r.rows().size());
    WeatherRecord w = r.rows().get(0);
    assertEquals("72518", w.station());
    assertEquals(Instant.parse("2019-06-01T00:00:00Z").getEpochSecond(), w.epochSecond());
    assertEquals(21.3, w.tempC());
    assertEquals(12.4, w.dewpointC());
    assertEquals(57.0, w.rhPct());
    assertEquals(0.3, w.precipMm());
    assertEquals(4.0, w.windMps(), 1e-12); // 14.4 km/h
    assertEquals(1016.0, w.pressureHpa());
    WeatherRecord sparse = r.rows().get(1);
    assertNull(sparse.dewpointC());
    assertNull(sparse.windMps());
    assertEquals(List.of(MeteostatParser.WRONG_COLUMN_COUNT, MeteostatParser.INVALID_DATE),
        r.quarantined().stream().map(q -> q.reason()).toList());
    assertThrows(WeatherFormatException.class, () -> new MeteostatParser(2019, 2019)
        .parse("72518.csv.gz", WeatherFixtures.cut(gzip(LINES), 0.5)));
  }

  @Test
  void ingestsOverHttpAfterA500(@TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      server.serve("/v2/hourly/72518.csv.gz", gzip(LINES));
      server.failNext("/v2/hourly/72518.csv.gz", Fault.status(503));
      String root = dir.resolve("data").toUri().toString();
      IngestReport report = MeteostatSource.ingest(
          spark, List.of("72518"), 2019, 2019, root, NoaaIsdLiteSourceTest.FAST, server.baseUri());
      FileReport t = report.totals();
      assertEquals(4, t.rowsParsed());
      assertEquals(2, t.rowsWritten());
      assertEquals(Map.of(MeteostatParser.WRONG_COLUMN_COUNT, 1L, MeteostatParser.INVALID_DATE, 1L),
          t.quarantinedByReason());
      List<Row> rows = spark.read().parquet(root + "/" + RawWeatherTable.PATH)
          .select(RawWeatherTable.SOURCE, RawWeatherTable.YEAR).distinct().collectAsList();
      assertEquals(List.of(Row.fromTuple(new scala.Tuple2<>(MeteostatSource.SOURCE, 2019))), rows);
      assertTrue(server.requests().size() == 2);
    }
  }
}
