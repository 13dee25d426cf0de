package io.nowcast.ingest.caiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.LoopbackHttpServer.Fault;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CaisoOasisSource} against a loopback OASIS serving SingleZip answers in the published layout. */
class CaisoOasisSourceTest {
  private static final LocalDate JAN31 = LocalDate.of(2019, 1, 31);
  private static final LocalDate FEB1 = LocalDate.of(2019, 2, 1);
  private static final LocalDate FEB2 = LocalDate.of(2019, 2, 2);

  private final SparkSession spark = SparkTestSession.get();
  private LoopbackHttpServer server;
  @TempDir Path tmp;

  @BeforeEach
  void start() {
    server = LoopbackHttpServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CaisoOasisSource source() {
    HttpSettings fast = new HttpSettings(Duration.ofSeconds(2), Duration.ofMillis(800), 4,
        Duration.ofMillis(20), Duration.ofMillis(1500), Duration.ofMillis(10), "test");
    return new CaisoOasisSource(new HttpFetcher(fast), server.baseUri(), Clock.systemUTC());
  }

  /** The loopback key (path?query) of a request, as OASIS would receive it. */
  private static String key(LocalDate start, LocalDate end) {
    String uri = new OasisRequest(OasisMarket.RTM, start, end).uri(java.net.URI.create("http://x")).toString();
    return uri.substring("http://x".length());
  }

  /** Serves each day of [from, to] as its own answer, and every request the runs below make. */
  private void serveDays(List<String> extraOnJan31) {
    server.serve(key(JAN31, FEB1), OasisFixtures.zipCsv(JAN31, FEB1, extraOnJan31));
    server.serve(key(FEB1, FEB2), OasisFixtures.zipCsv(FEB1, FEB2, List.of()));
    server.serve(key(FEB2, FEB2.plusDays(1)), OasisFixtures.zipCsv(FEB2, FEB2.plusDays(1), List.of()));
    server.serve(key(FEB1, FEB2.plusDays(1)), OasisFixtures.zipCsv(FEB1, FEB2.plusDays(1), List.of()));
  }

  private List<String> table(String root) {
    return spark.read().parquet(root + "/" + RawLoadTable.PATH).orderBy(RawLoadTable.REGION, RawLoadTable.TS)
        .collectAsList().stream()
        .map(r -> r.<String>getAs(RawLoadTable.REGION) + "|" + r.<java.sql.Timestamp>getAs(RawLoadTable.TS).toInstant()
            + "|" + r.<Double>getAs(RawLoadTable.LOAD_MW))
        .sorted().toList();
  }

  private static List<String> sorted(List<String> rows) {
    return rows.stream().sorted().toList();
  }

  @Test
  void faultsAreRetriedMonthsSplitAndAFifteenMinuteRowQuarantined() {
    Instant t = Instant.parse("2019-01-31T12:00:00Z");
    String rtpd = OasisFixtures.rtmLine("PGE-TAC", t, "1.0").replace(
        "2019-01-31T12:05:00-00:00", "2019-01-31T12:15:00-00:00"); // a 15-minute interval
    serveDays(List.of(rtpd));
    server.failNext(key(JAN31, FEB1), Fault.status(500))
        .failNext(key(JAN31, FEB1), Fault.hang(3000))
        .failNext(key(FEB1, FEB2), Fault.tooManyRequests(1))
        .failNext(key(FEB1, FEB2), Fault.truncated(OasisFixtures.zipCsv(FEB1, FEB2, List.of())));
    String root = tmp.resolve("faults").toUri().toString();
    HttpIngestOutcome outcome = source().run(spark, OasisMarket.RTM, JAN31, FEB1, root);
    assertEquals(4, outcome.retries());
    assertEquals(2, outcome.fetched(), "one request per UTC month");
    assertEquals(Map.of("interval of 15 min, expected 5", 1L), outcome.report().totals().quarantinedByReason());
    assertTrue(outcome.report().files().stream().allMatch(f -> f.balanced()));
    assertEquals(sorted(OasisFixtures.expectedRows(JAN31, FEB2)), table(root));
    Row any = spark.read().parquet(root + "/" + RawLoadTable.PATH).first();
    assertEquals("caiso-oasis-rtm", any.getAs(RawLoadTable.SOURCE));
    assertEquals(5, (int) any.getAs(RawLoadTable.INTERVAL_MIN));
  }

  @Test
  void secondRunOverLongerRangeFetchesOnlyNewDaysAndEqualsOneRun() {
    serveDays(List.of());
    String twoRuns = tmp.resolve("two").toUri().toString();
    source().run(spark, OasisMarket.RTM, JAN31, FEB1, twoRuns);
    int before = server.requests().size();
    HttpIngestOutcome second = source().run(spark, OasisMarket.RTM, JAN31, FEB2, twoRuns);
    assertEquals(List.of(key(FEB2, FEB2.plusDays(1))), server.requests().subList(before, server.requests().size()));
    assertEquals(2, second.alreadyLanded());

    String oneRun = tmp.resolve("one").toUri().toString();
    source().run(spark, OasisMarket.RTM, JAN31, FEB2, oneRun);
    assertEquals(table(oneRun), table(twoRuns));
    assertEquals(sorted(OasisFixtures.expectedRows(JAN31, FEB2.plusDays(1))), table(twoRuns));
  }

  @Test
  void errorAnswerOrPersistentFaultFailsNamingTheRequestWithNothingWritten() {
    serveDays(List.of());
    server.serve(key(FEB1, FEB2), OasisFixtures.errorZip());
    String root = tmp.resolve("err").toUri().toString();
    OasisErrorException e = assertThrows(OasisErrorException.class,
        () -> source().run(spark, OasisMarket.RTM, JAN31, FEB1, root));
    assertTrue(e.getMessage().contains(key(FEB1, FEB2)), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("err/" + RawLoadTable.PATH)));
    assertFalse(Files.exists(tmp.resolve("err/landing/caiso-oasis-rtm/20190201-20190202.zip")));

    for (int i = 0; i < 4; i++) {
      server.failNext(key(FEB1, FEB2), Fault.status(502));
    }
    io.nowcast.ingest.http.FetchFailedException f = assertThrows(io.nowcast.ingest.http.FetchFailedException.class,
        () -> source().run(spark, OasisMarket.RTM, JAN31, FEB1, root));
    assertTrue(f.getMessage().contains(key(FEB1, FEB2)), f.getMessage());
    assertFalse(Files.exists(tmp.resolve("err/" + RawLoadTable.PATH)));
  }
}
