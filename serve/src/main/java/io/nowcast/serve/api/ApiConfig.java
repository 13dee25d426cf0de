package io.nowcast.serve.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the HTTP API, resolved once by {@code ApiMain}.
 *
 * @param host address to bind (127.0.0.1 by default: put a proxy in front for other hosts)
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxRows most feature rows in one {@code POST /v1/nowcast}
 * @param maxBodyBytes largest request body accepted
 * @param knownRegions regions a request may name
 * @param predictionsTable the predictions table's directory, if the latest-nowcast route is served
 * @param maxConcurrentPredictions native predictions running at once (default: the cores)
 * @param serverThreads most threads of Jetty's pool, selector and acceptor included (default:
 *     {@link #defaultServerThreads()})
 */
public record ApiConfig(
    String host,
    int port,
    int maxRows,
    long maxBodyBytes,
    Set<String> knownRegions,
    Optional<Path> predictionsTable,
    int maxConcurrentPredictions,
    int serverThreads) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_ROWS = 1000;
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
  public static final int MIN_SERVER_THREADS = 4;

  public ApiConfig {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 1, got " + maxBodyBytes);
    }
    if (maxConcurrentPredictions < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentPredictions must be >= 1, got " + maxConcurrentPredictions);
    }
    if (serverThreads < MIN_SERVER_THREADS) {
      throw new IllegalArgumentException("serverThreads must be >= " + MIN_SERVER_THREADS
          + " (Jetty's acceptor and selector need their own), got " + serverThreads);
    }
    knownRegions = Set.copyOf(knownRegions);
  }

  /**
   * Jetty's pool for this machine: 4 per core, at least 8. Javalin's default (250) let a burst of
   * connections grow the pool to 250 threads, and on 2 cores the API's p99 at 500 req/s was lower
   * with 6-8 threads than with 16 or 250 (session 4, docs/performance.md): with few cores, more
   * threads only add context switches, and each request is well under a millisecond of CPU.
   */
  public static int defaultServerThreads() {
    return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
  }

  /** With one concurrent prediction per core and the default server threads. */
  public ApiConfig(String host, int port, int maxRows, long maxBodyBytes, Set<String> knownRegions,
      Optional<Path> predictionsTable) {
    this(host, port, maxRows, maxBodyBytes, knownRegions, predictionsTable,
        Runtime.getRuntime().availableProcessors(), defaultServerThreads());
  }
}
