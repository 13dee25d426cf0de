package io.nowcast.ingest.weather;

import static io.nowcast.ingest.weather.WeatherFixtures.gzip;
import static io.nowcast.ingest.weather.WeatherFixtures.isdLine;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.LoopbackHttpServer.Fault;
import io.nowcast.testing.SparkTestSession;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ISD-Lite through a loopback HTTP server serving files in the documented layout, with faults. */
class NoaaIsdLiteSourceTest {
  static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 3,
      Duration.ofMillis(10), Duration.ofMillis(50), Duration.ZERO, "test");
  private static final String JFK = "744860-94789";
  private static final String ALB = "725180-14735";

  private LoopbackHttpServer server;
  private final SparkSession spark = SparkTestSession.get();

  @BeforeEach
  void start() {
    server = LoopbackHttpServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI base() {
    return server.baseUri().resolve("/pub/data/noaa/isd-lite");
  }

  private static List<String> hours(int count, int temp10) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(h -> isdLine(2019, 3, 1, h, temp10 + h, temp10 - 30, 10150, 90, 30, 2, 0, -9999))
        .toList();
  }

  @Test
  void retriesA500QuarantinesGarbageAndKeepsOtherStations(@TempDir Path dir) {
    List<String> jfk = new java.util.ArrayList<>(hours(5, 40));
    jfk.add(2, "this is not an ISD-Lite line at all, just garbage from a broken mirror...");
    server.serve("/pub/data/noaa/isd-lite/2019/" + JFK + "-2019.gz", gzip(jfk));
    server.failNext("/pub/data/noaa/isd-lite/2019/" + JFK + "-2019.gz", Fault.status(500));
    server.serve("/pub/data/noaa/isd-lite/2019/" + ALB + "-2019.gz", gzip(hours(3, -20)));
    String root = dir.resolve("data").toUri().toString();

    IngestReport first = NoaaIsdLiteSource.ingest(spark, List.of(JFK), 2019, 2019, root, FAST, base());
    FileReport t = first.totals();
    assertEquals(6, t.rowsParsed());
    assertEquals(Map.of(IsdLiteParser.BAD_SEPARATORS, 1L), t.quarantinedByReason());
    assertEquals(5, t.rowsWritten());
    assertEquals(2, server.requests().size()); // the 500, then the retry

    NoaaIsdLiteSource.ingest(spark, List.of(ALB), 2019, 2019, root, FAST, base());
    List<Row> perStation = spark.read().parquet(root + "/" + RawWeatherTable.PATH)
        .groupBy(RawWeatherTable.STATION).count().orderBy(RawWeatherTable.STATION).collectAsList();
    assertEquals(List.of(Row.fromTuple(tuple(ALB, 3L)), Row.fromTuple(tuple(JFK, 5L))), perStation);
    Row first0 = spark.read().parquet(root + "/" + RawWeatherTable.PATH)
        .filter(col(RawWeatherTable.STATION).equalTo(JFK)).orderBy(RawWeatherTable.TS).first();
    assertEquals(4.0, first0.<Double>getAs(RawWeatherTable.TEMP_C), 1e-12);
    assertEquals(3.0, first0.<Double>getAs(RawWeatherTable.WIND_MPS), 1e-12);

    long quarantined = spark.read().schema(QuarantineTable.SCHEMA)
        .parquet(root + "/" + QuarantineTable.path(NoaaIsdLiteSource.SOURCE)).count();
    assertEquals(1, quarantined);
  }

  @Test
  void truncatedGzipFailsNamingTheUrlAndWritesNothing(@TempDir Path dir) {
    byte[] whole = gzip(hours(24, 10));
    server.serve("/pub/data/noaa/isd-lite/2019/" + JFK + "-2019.gz", WeatherFixtures.cut(whole, 0.5));
    server.serve("/pub/data/noaa/isd-lite/2019/" + ALB + "-2019.gz", whole);
    WeatherFormatException e = assertThrows(WeatherFormatException.class, () -> NoaaIsdLiteSource.ingest(
        spark, List.of(ALB, JFK), 2019, 2019, dir.resolve("data").toString(), FAST, base()));
    assertTrue(e.getMessage().contains(JFK + "-2019.gz") && e.getMessage().contains("truncated"),
        e.getMessage());
    assertTrue(Files.notExists(dir.resolve("data")));
  }

  @Test
  void unpublishedStationYearIsSkipped(@TempDir Path dir) {
    IngestReport report = NoaaIsdLiteSource.ingest(
        spark, List.of(JFK), 2019, 2019, dir.resolve("data").toString(), FAST, base());
    assertTrue(report.files().isEmpty());
    assertTrue(Files.notExists(dir.resolve("data")));
  }

  private static scala.Tuple2<String, Long> tuple(String s, long n) {
    return new scala.Tuple2<>(s, n);
  }
}
