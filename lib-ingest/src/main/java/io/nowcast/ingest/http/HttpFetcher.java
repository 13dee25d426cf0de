package io.nowcast.ingest.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs public data files with the manners the sources expect: connect and request timeouts, retries with
 * exponential backoff and full jitter on 429, 5xx and timeouts, {@code Retry-After} honoured (seconds or
 * an HTTP date, capped at the maximum backoff), and a minimum interval between requests. A 404 is an
 * answer, not a failure: the file is not published (yet), so {@link #get} returns empty. Other 4xx fail
 * at once. Built on the JDK's {@link HttpClient}: it does all this but the retry policy, which is ours.
 */
public final class HttpFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);

  private final HttpSettings settings;
  private final HttpClient client;
  private final AtomicLong retries = new AtomicLong();
  private long lastRequestNanos;

  public HttpFetcher(HttpSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** How many retries this fetcher has made so far (for progress reports). */
  public long retries() {
    return retries.get();
  }

  /**
   * The body of {@code url} on 200, or empty on 404.
   *
   * @throws FetchFailedException after the last attempt, or at once on another 4xx
   */
  public Optional<byte[]> get(URI url) {
    int lastStatus = -1;
    String lastProblem = "no attempt made";
    Throwable lastCause = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Duration wait = Duration.ZERO;
      try {
        pace();
        HttpResponse<byte[]> response = client.send(request(url), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status == 200) {
          return Optional.of(response.body());
        }
        if (status == 404) {
          return Optional.empty();
        }
        lastStatus = status;
        lastProblem = "HTTP " + status;
        lastCause = null;
        if (status != 429 && status < 500) {
          throw new FetchFailedException(url.toString(), attempt, status, lastProblem, null);
        }
        wait = retryAfter(response).orElse(Duration.ZERO);
      } catch (HttpTimeoutException e) {
        lastStatus = -1;
        lastProblem = "timed out (" + e.getMessage() + ")";
        lastCause = e;
      } catch (IOException e) {
        lastStatus = -1;
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchFailedException(url.toString(), attempt, lastStatus, "interrupted", e);
      }
      if (attempt < settings.maxAttempts()) {
        Duration backoff = max(wait, backoff(attempt));
        retries.incrementAndGet();
        LOG.warn("GET {} -> {}; retry {}/{} in {} ms", url, lastProblem, attempt,
            settings.maxAttempts() - 1, backoff.toMillis());
        sleep(backoff, url, lastProblem);
      }
    }
    throw new FetchFailedException(url.toString(), settings.maxAttempts(), lastStatus, lastProblem, lastCause);
  }

  private HttpRequest request(URI url) {
    return HttpRequest.newBuilder(url)
        .timeout(settings.requestTimeout())
        .header("User-Agent", settings.userAgent())
        .GET()
        .build();
  }

  /** Full jitter: a random wait in [0, min(max, base × 2^(attempt−1))]. */
  private Duration backoff(int attempt) {
    long cap = Math.min(settings.maxBackoff().toMillis(),
        settings.baseBackoff().toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1));
  }

  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(value -> {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
      } catch (NumberFormatException notSeconds) {
        try {
          ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
          Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
          return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException notDate) {
          return Optional.empty();
        }
      }
    }).map(wait -> wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait);
  }

  /** Keeps at least {@code minInterval} between the starts of two requests. */
  private synchronized void pace() throws InterruptedException {
    long interval = settings.minInterval().toNanos();
    long now = System.nanoTime();
    long waitNanos = lastRequestNanos + interval - now;
    if (lastRequestNanos != 0 && waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
    lastRequestNanos = System.nanoTime();
  }

  private static void sleep(Duration duration, URI url, String problem) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailedException(url.toString(), 0, -1, "interrupted while backing off after " + problem, e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
