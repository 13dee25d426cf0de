package io.nowcast.serve.api;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request metrics in Prometheus text format (Micrometer's Prometheus registry): a timer
 * {@code http_server_requests_seconds} tagged by method, route (the route pattern, so one series per
 * endpoint, not per region) and status, published as a histogram (count, sum and buckets).
 */
final class HttpMetrics {
  static final String REQUESTS = "http.server.requests";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // One timer per (method, route, status), looked up without building a Meter.Id per request: the
  // builder path allocates tags and an id on every call, which showed in the API's allocation profile.
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private record TimerKey(String method, String route, int status) {}

  void record(String method, String route, int status, double millis) {
    timers.computeIfAbsent(new TimerKey(method, route, status), this::register)
        .record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS);
  }

  private Timer register(TimerKey key) {
    String method = key.method();
    String route = key.route();
    int status = key.status();
    return Timer.builder(REQUESTS)
        .description("HTTP requests by route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}
