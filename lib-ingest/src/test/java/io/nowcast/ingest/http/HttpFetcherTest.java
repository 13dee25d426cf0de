package io.nowcast.ingest.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.LoopbackHttpServer.Fault;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetcher against a real loopback HTTP server producing the faults real services produce. */
class HttpFetcherTest {
  private static final byte[] BODY = "\"Time Stamp\",\"Load\"\n".repeat(200).getBytes(StandardCharsets.UTF_8);
  private LoopbackHttpServer server;
  private HttpFetcher fetcher;

  @BeforeEach
  void start() {
    server = LoopbackHttpServer.start();
    server.serve("/file.csv", BODY);
    fetcher = new HttpFetcher(new HttpSettings(Duration.ofSeconds(2), Duration.ofMillis(800), 4,
        Duration.ofMillis(20), Duration.ofMillis(1500), Duration.ZERO, "test"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI file() {
    return server.baseUri().resolve("/file.csv");
  }

  @Test
  void retriesServerErrorsAndTruncatedBodiesThenSucceeds() {
    server.failNext("/file.csv", Fault.status(500))
        .failNext("/file.csv", Fault.status(503))
        .failNext("/file.csv", Fault.truncated(BODY));
    assertArrayEquals(BODY, fetcher.get(file()).orElseThrow());
    assertEquals(4, server.requests().size());
    assertEquals(3, fetcher.retries());
  }

  @Test
  void honoursRetryAfterOn429() {
    server.failNext("/file.csv", Fault.tooManyRequests(1));
    long started = System.nanoTime();
    assertArrayEquals(BODY, fetcher.get(file()).orElseThrow());
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(waitedMillis >= 1000, "waited only " + waitedMillis + " ms despite Retry-After: 1");
  }

  @Test
  void hangingServerTimesOutAndRetries() {
    server.failNext("/file.csv", Fault.hang(3000));
    assertArrayEquals(BODY, fetcher.get(file()).orElseThrow());
    assertEquals(1, fetcher.retries());
  }

  @Test
  void failsClearlyNamingTheUrlAfterTheLastAttempt() {
    for (int i = 0; i < 4; i++) {
      server.failNext("/file.csv", Fault.status(502));
    }
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher.get(file()));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("after 4 attempt(s): HTTP 502"), e.getMessage());
    assertEquals(502, e.lastStatus());
  }

  @Test
  void notFoundIsAnAnswerAndOtherClientErrorsFailAtOnce() {
    assertTrue(fetcher.get(server.baseUri().resolve("/missing.csv")).isEmpty());
    server.failNext("/file.csv", Fault.status(403));
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher.get(file()));
    assertEquals(403, e.lastStatus());
    assertEquals(2, server.requests().size(), "a 403 must not be retried");
  }

  @Test
  void refusedConnectionFailsWithTheUrl() {
    URI closed = URI.create("http://127.0.0.1:1/file.csv");
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcher.get(closed));
    assertTrue(e.getMessage().startsWith("GET " + closed), e.getMessage());
    assertEquals(-1, e.lastStatus());
  }
}
