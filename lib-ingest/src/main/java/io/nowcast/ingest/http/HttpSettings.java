package io.nowcast.ingest.http;

import java.time.Duration;

/**
 * How politely and persistently to fetch: timeouts, attempts, exponential backoff with full jitter, and
 * the minimum interval between two requests to the same fetcher (public data services rate-limit).
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration baseBackoff,
    Duration maxBackoff,
    Duration minInterval,
    String userAgent) {

  public HttpSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("http.max_attempts must be >= 1, got " + maxAttempts);
    }
    if (baseBackoff.isNegative() || maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("http backoff must satisfy 0 <= base <= max");
    }
  }

  /** 10 s to connect, 60 s per request, 5 attempts, backoff 1 s doubling to 60 s, 0.5 s between requests. */
  public static HttpSettings defaults() {
    return new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofSeconds(1),
        Duration.ofSeconds(60), Duration.ofMillis(500), "ml-power-nowcast/0.1 (+https://example.invalid)");
  }
}
