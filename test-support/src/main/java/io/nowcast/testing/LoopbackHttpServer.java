package io.nowcast.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's own) that serves files in the sources' real formats and,
 * on demand, the faults real services produce: 500s, 429 with Retry-After, hangs, truncated bodies,
 * HTML error pages. Each path has a queue of one-shot faults, then its steady response.
 *
 * <pre>{@code
 * try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
 *   server.serve("/csv/20190101pal.csv", bytes);
 *   server.failNext("/csv/20190101pal.csv", LoopbackHttpServer.Fault.status(503));
 *   URI base = server.baseUri();
 * }
 * }</pre>
 */
public final class LoopbackHttpServer implements AutoCloseable {
  /** One scripted answer. */
  public record Fault(int status, Map<String, String> headers, byte[] body, long delayMillis, boolean truncate) {
    public static Fault status(int status) {
      return new Fault(status, Map.of(), new byte[0], 0, false);
    }

    public static Fault tooManyRequests(int retryAfterSeconds) {
      return new Fault(429, Map.of("Retry-After", String.valueOf(retryAfterSeconds)), new byte[0], 0, false);
    }

    /** Answers 200 only after {@code millis}: longer than the client's timeout, it is a hang. */
    public static Fault hang(long millis) {
      return new Fault(200, Map.of(), new byte[0], millis, false);
    }

    /** Announces the full length, sends half of {@code body}, then closes the connection. */
    public static Fault truncated(byte[] body) {
      return new Fault(200, Map.of(), body, 0, true);
    }

    public static Fault body(int status, byte[] body) {
      return new Fault(status, Map.of(), body, 0, false);
    }
  }

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private LoopbackHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static LoopbackHttpServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LoopbackHttpServer loopback = new LoopbackHttpServer(http);
      http.createContext("/", loopback::handle);
      http.setExecutor(Executors.newFixedThreadPool(4));
      http.start();
      return loopback;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a loopback HTTP server", e);
    }
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves {@code body} with 200 at {@code path} (query strings are part of the path key if given). */
  public LoopbackHttpServer serve(String path, byte[] body) {
    files.put(path, body);
    return this;
  }

  /** Answers the next request to {@code path} with {@code fault} (queued after earlier faults). */
  public LoopbackHttpServer failNext(String path, Fault fault) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addLast(fault);
    return this;
  }

  /** Every request received, as path[?query], in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String key = query == null ? path : path + "?" + query;
    requests.add(key);
    try (exchange) {
      Deque<Fault> queue = faults.get(key) != null ? faults.get(key) : faults.get(path);
      Fault fault = queue == null ? null : queue.pollFirst();
      if (fault != null) {
        answer(exchange, fault);
        return;
      }
      byte[] body = files.containsKey(key) ? files.get(key) : files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void answer(HttpExchange exchange, Fault fault) throws IOException {
    if (fault.delayMillis() > 0) {
      try {
        Thread.sleep(fault.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    fault.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (fault.truncate()) {
      exchange.sendResponseHeaders(fault.status(), fault.body().length);
      OutputStream out = exchange.getResponseBody();
      out.write(fault.body(), 0, fault.body().length / 2);
      out.flush();
      // Returning closes the exchange before the announced length was sent: the JDK server then
      // drops the connection mid-body, as a broken upstream would.
      return;
    }
    exchange.sendResponseHeaders(fault.status(), fault.body().length == 0 ? -1 : fault.body().length);
    if (fault.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(fault.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
