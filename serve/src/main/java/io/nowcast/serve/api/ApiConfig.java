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
 */
public record ApiConfig(
    String host,
    int port,
    int maxRows,
    long maxBodyBytes,
    Set<String> knownRegions,
    Optional<Path> predictionsTable,
    int maxConcurrentPredictions) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_ROWS = 1000;
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

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
    knownRegions = Set.copyOf(knownRegions);
  }

  /** With one concurrent prediction per core. */
  public ApiConfig(String host, int port, int maxRows, long maxBodyBytes, Set<String> knownRegions,
      Optional<Path> predictionsTable) {
    this(host, port, maxRows, maxBodyBytes, knownRegions, predictionsTable,
        Runtime.getRuntime().availableProcessors());
  }
}
