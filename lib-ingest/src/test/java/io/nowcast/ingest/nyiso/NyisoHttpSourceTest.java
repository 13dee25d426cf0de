package io.nowcast.ingest.nyiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.http.FetchFailedException;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.LoopbackHttpServer.Fault;
import io.nowcast.testing.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NyisoHttpSource} against a loopback HTTP server serving the real NYISO daily files of early
 * November 2019 (the autumn DST day, 2019-11-03, included) at NYISO's URL layout.
 */
class NyisoHttpSourceTest {
  private static final String PREFIX = "/public/csv/pal/";
  private static final LocalDate NOV1 = LocalDate.of(2019, 11, 1);

  private final SparkSession spark = SparkTestSession.get();
  private final Map<String, String> realDays = new LinkedHashMap<>();
  private LoopbackHttpServer server;
  @TempDir Path tmp;

  @BeforeEach
  void serveRealDays() {
    Map<String, String> november = PalTestArchives.entries(PalTestArchives.real("201911"));
    server = LoopbackHttpServer.start();
    for (int d = 1; d <= 6; d++) {
      String name = String.format("201911%02dpal.csv", d);
      realDays.put(name, november.get(name));
      server.serve(PREFIX + name, november.get(name).getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the real data is absent and the test was skipped
      server.close();
    }
  }

  /** 800 ms per request (a 3 s hang is a timeout), 4 attempts, short backoff, no pacing. */
  private NyisoHttpSource source() {
    HttpSettings fast = new HttpSettings(Duration.ofSeconds(2), Duration.ofMillis(800), 4,
        Duration.ofMillis(20), Duration.ofMillis(1500), Duration.ZERO, "test");
    return new NyisoHttpSource(new HttpFetcher(fast), server.baseUri().resolve("/public/csv"),
        Clock.systemUTC());
  }

  private String root(String name) {
    return tmp.resolve(name).toUri().toString();
  }

  private Dataset<Row> table(String root) {
    return spark.read().parquet(root + "/" + RawLoadTable.PATH)
        .select(RawLoadTable.REGION, RawLoadTable.TS, RawLoadTable.LOAD_MW, RawLoadTable.SOURCE,
            RawLoadTable.INTERVAL_MIN, RawLoadTable.MONTH);
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.count(), actual.count());
    assertEquals(0, expected.exceptAll(actual).count());
    assertEquals(0, actual.exceptAll(expected).count());
  }

  private List<String> dayRequests(int fromIndex) {
    List<String> all = server.requests();
    return new ArrayList<>(all.subList(fromIndex, all.size()));
  }

  @Test
  void secondRunOverLongerRangeFetchesOnlyNewDaysAndEqualsOneRunAndTheArchiveIngest() throws IOException {
    String twoRuns = root("two-runs");
    HttpIngestOutcome first = source().run(spark, NOV1, NOV1.plusDays(2), twoRuns);
    assertEquals(3, first.fetched());
    int before = server.requests().size();
    HttpIngestOutcome second = source().run(spark, NOV1, NOV1.plusDays(5), twoRuns);
    assertEquals(List.of(PREFIX + "20191104pal.csv", PREFIX + "20191105pal.csv", PREFIX + "20191106pal.csv"),
        dayRequests(before));
    assertEquals(3, second.fetched());
    assertEquals(3, second.alreadyLanded());
    assertTrue(second.report().files().stream().allMatch(FileReport::balanced));

    String oneRun = root("one-run");
    source().run(spark, NOV1, NOV1.plusDays(5), oneRun);
    assertSameRows(table(oneRun), table(twoRuns));

    // The same six files as a monthly-style archive through the archive ingest: the same table.
    Path zip = PalTestArchives.zip(Files.createDirectories(tmp.resolve("zip")).resolve("20191101pal_csv.zip"),
        realDays);
    String archive = root("archive");
    new NyisoPalArchiveIngest().run(spark, List.of(PalTestArchives.uri(zip)), archive);
    assertSameRows(table(archive), table(oneRun));
  }

  @Test
  void transientFaultsAreRetriedAndTheRunSucceeds() {
    server.failNext(PREFIX + "20191101pal.csv", Fault.status(500))
        .failNext(PREFIX + "20191102pal.csv", Fault.tooManyRequests(1))
        .failNext(PREFIX + "20191103pal.csv", Fault.hang(3000))
        .failNext(PREFIX + "20191104pal.csv",
            Fault.truncated(realDays.get("20191104pal.csv").getBytes(StandardCharsets.UTF_8)));
    HttpIngestOutcome outcome = source().run(spark, NOV1, NOV1.plusDays(3), root("faults"));
    assertEquals(4, outcome.retries());
    assertEquals(4, outcome.fetched());
    long lines = realDays.values().stream().limit(4).mapToLong(t -> PalTestArchives.dataLines(t).size()).sum();
    assertEquals(lines, outcome.report().totals().rowsParsed(), "every line of the four real days was read");
  }

  @Test
  void persistentFaultFailsNamingTheUrlWritesNothingAndTheNextRunCompletes() {
    String root = root("persistent");
    for (int i = 0; i < 4; i++) {
      server.failNext(PREFIX + "20191102pal.csv", Fault.status(503));
    }
    FetchFailedException e =
        assertThrows(FetchFailedException.class, () -> source().run(spark, NOV1, NOV1.plusDays(2), root));
    assertTrue(e.getMessage().contains(PREFIX + "20191102pal.csv"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("persistent/" + RawLoadTable.PATH)), "raw table must not exist");
    Path landing = tmp.resolve("persistent/landing/nyiso-pal/201911");
    assertTrue(Files.exists(landing.resolve("20191101pal.csv")));
    assertFalse(Files.exists(landing.resolve("20191102pal.csv")));

    int before = server.requests().size();
    HttpIngestOutcome retry = source().run(spark, NOV1, NOV1.plusDays(2), root);
    assertEquals(List.of(PREFIX + "20191102pal.csv", PREFIX + "20191103pal.csv"), dayRequests(before));
    assertEquals(3, retry.report().files().size());
  }

  @Test
  void htmlErrorPageIsAClearErrorAndIsNotLanded() {
    String root = root("html");
    server.serve(PREFIX + "20191102pal.csv",
        "<html><body><h1>Service Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8));
    NyisoPalFormatException e = assertThrows(NyisoPalFormatException.class,
        () -> source().run(spark, NOV1, NOV1.plusDays(1), root));
    assertTrue(e.getMessage().contains(server.baseUri() + PREFIX + "20191102pal.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("HTML"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("html/landing/nyiso-pal/201911/20191102pal.csv")));
    assertFalse(Files.exists(tmp.resolve("html/" + RawLoadTable.PATH)));
  }

  @Test
  void badLinesAreQuarantinedAndUnpublishedDaysNamed() {
    List<String> lines = new ArrayList<>(realDays.get("20191101pal.csv").lines().toList());
    lines.set(5, lines.get(5).replaceAll(",[^,]*$", ",-12.5")); // line 6: a negative load
    server.serve(PREFIX + "20191101pal.csv", String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8));
    LocalDate unpublished = LocalDate.of(2019, 12, 31);
    HttpIngestOutcome outcome = source().run(spark, unpublished.minusDays(60), unpublished.minusDays(60), root("q"));
    assertEquals(List.of("2019-11-01"), outcome.report().files().stream()
        .map(f -> NyisoPalFiles.dayOf(f.file()).orElseThrow().toString()).toList());
    assertEquals(Map.of(NyisoPalCsvParser.NEGATIVE_LOAD, 1L), outcome.report().totals().quarantinedByReason());

    HttpIngestOutcome missing = source().run(spark, unpublished, unpublished, root("q"));
    assertEquals(List.of("2019-12-31"), missing.notPublished());
    assertEquals(0, missing.report().files().size());
  }
}
