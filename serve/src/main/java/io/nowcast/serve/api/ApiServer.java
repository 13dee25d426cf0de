package io.nowcast.serve.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.nowcast.models.tracking.MlflowRequestException;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.ModelNotFoundException;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.TrackingUnavailableException;
import io.nowcast.serve.model.LoadedModel;
import io.nowcast.serve.model.ModelSlot;
import io.nowcast.serve.registry.AliasWatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on Javalin: nowcasts from feature rows, the latest batch nowcast of a region, the
 * registry's models, health, readiness, an OpenAPI document and Prometheus metrics. Every error is a
 * JSON {@code {"error": ..., "detail": ...}}; unexpected failures answer 500 with an id that is also in
 * the server log, never a stack trace.
 */
public final class ApiServer implements AutoCloseable {
  /** How much of an oversized request body is read and discarded before the 413 ({@link #drainOrClose}). */
  static final long DRAIN_LIMIT_BYTES = 16L << 20;
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPLICATION_JSON = "application/json";
  private static final String ERROR_WRITTEN = "nowcast.error-written";
  private static final int RESPONSE_COPY_BUFFER_BYTES = 4096;

  /** One route of the API; {@link #ROUTES} is what is registered and what openapi.json must list. */
  public record Route(String method, String path) {}

  public static final Route NOWCAST = new Route("POST", "/v1/nowcast");
  public static final Route LATEST = new Route("GET", "/v1/nowcast/{region}/latest");
  public static final Route MODELS = new Route("GET", "/v1/models");
  public static final Route HEALTH = new Route("GET", "/health");
  public static final Route READY = new Route("GET", "/ready");
  public static final Route OPENAPI = new Route("GET", "/openapi.json");
  public static final Route METRICS = new Route("GET", "/metrics");
  public static final List<Route> ROUTES =
      List.of(NOWCAST, LATEST, MODELS, HEALTH, READY, OPENAPI, METRICS);

  private final ApiConfig config;
  private final ModelSlot slot;
  private final Optional<ModelRegistryClient> registry;
  // Reads the metrics of each version's run for /v1/models.
  private final Optional<MlflowRestClient> runs;
  private final Optional<AliasWatcher> watcher;
  private final String registeredName;
  private final Optional<PredictionsTable> predictions;
  private final HttpMetrics metrics = new HttpMetrics();
  private final byte[] openApi;
  // At most this many native predictions at once: each calling thread gets its own OpenMP team in
  // XGBoost, and hundreds of Jetty threads predicting together oversubscribe the cores (measured
  // here: single-row latency went from milliseconds to seconds under a burst of connections).
  private final Semaphore predictionGate;
  private Javalin app;

  /**
   * @param registry the registry to describe at /v1/models (absent for a local bundle)
   * @param watcher the alias watcher whose last error /ready reports
   * @param registeredName the registered model name shown at /v1/models
   */
  public ApiServer(
      ApiConfig config, ModelSlot slot, Optional<ModelRegistryClient> registry,
      Optional<AliasWatcher> watcher, String registeredName) {
    this.config = config;
    this.slot = slot;
    this.registry = registry;
    this.runs = registry.map(r -> new MlflowRestClient(r.trackingUri()));
    this.watcher = watcher;
    this.registeredName = registeredName;
    this.predictions = config.predictionsTable().map(PredictionsTable::new);
    this.openApi = readResource("/openapi.json");
    this.predictionGate = new Semaphore(config.maxConcurrentPredictions());
  }

  /** Starts listening; {@link #port()} then tells the port (useful with port 0). */
  public ApiServer start() {
    app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.http.maxRequestSize = config.maxBodyBytes();
      // Javalin copies each result to the response through a fresh buffer of this size (default
      // 32 KiB). Our answers are a few hundred bytes to ~50 KiB, so 4 KiB keeps the copy to a few
      // writes while cutting the garbage per request roughly eightfold; at 500 req/s the 32 KiB
      // buffers were most of the allocation and drove a young-GC pause every ~3 s (JFR, session 4).
      javalin.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
      javalin.jetty.host = config.host();
      javalin.jetty.port = config.port();
      javalin.jetty.threadPool = threadPool(config.serverThreads());
      Map<Route, Handler> handlers = Map.of(
          NOWCAST, this::nowcast,
          LATEST, this::latest,
          MODELS, this::models,
          HEALTH, ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "ok")),
          READY, this::ready,
          OPENAPI, ctx -> ctx.contentType(APPLICATION_JSON).result(openApi),
          METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
              .result(metrics.scrape()));
      for (Route route : ROUTES) {
        if (route.method().equals("GET")) {
          javalin.routes.get(route.path(), handlers.get(route));
        } else {
          javalin.routes.post(route.path(), handlers.get(route));
        }
      }
      javalin.routes.exception(ApiException.class,
          (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.detail()));
      javalin.routes.exception(ModelSlot.ModelNotLoadedException.class,
          (e, ctx) -> error(ctx, 503, "no model is loaded yet", watcher.flatMap(AliasWatcher::lastError)
              .orElse(null)));
      // Javalin's own refusals (no route, 405, its body limit) in our error format.
      javalin.routes.exception(HttpResponseException.class, (e, ctx) -> {
        Map<String, String> where = Map.of("method", ctx.method().name(), "path", ctx.path());
        switch (e.getStatus()) {
          case 404 -> error(ctx, 404, "no such route", where);
          case 405 -> error(ctx, 405, "method not allowed", where);
          default -> error(ctx, e.getStatus(), e.getMessage(), where);
        }
      });
      javalin.routes.exception(Exception.class, (e, ctx) -> {
        String id = UUID.randomUUID().toString();
        LOG.error("request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
        error(ctx, 500, "internal error", Map.of("error_id", id));
      });
      javalin.routes.error(404, "*", ctx -> {
        if (ctx.attribute(ERROR_WRITTEN) == null) {
          error(ctx, 404, "no such route", Map.of("method", ctx.method().name(), "path", ctx.path()));
        }
      });
      javalin.routes.error(405, "*", ctx -> {
        if (ctx.attribute(ERROR_WRITTEN) == null) {
          error(ctx, 405, "method not allowed", Map.of("method", ctx.method().name(), "path", ctx.path()));
        }
      });
      javalin.requestLogger.http((ctx, millis) ->
          metrics.record(ctx.method().name(), routeOf(ctx), ctx.statusCode(), millis));
    });
    app.start();
    LOG.info("nowcast API listening on http://{}:{}", config.host(), app.port());
    return this;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }

  private void nowcast(Context ctx) {
    JsonNode body = readBody(ctx);
    ObjectNode answer = slot.withModel(model -> {
      NowcastRequest request = NowcastRequest.parse(
          body, model.predictor().bundle().requestFeatures(), config.knownRegions(), config.maxRows());
      predictionGate.acquireUninterruptibly();
      try {
        return Nowcaster.answer(model, request);
      } finally {
        predictionGate.release();
      }
    });
    json(ctx, 200, answer);
  }

  private void latest(Context ctx) {
    String region = ctx.pathParam("region");
    if (!config.knownRegions().contains(region)) {
      throw new ApiException(404, "unknown region",
          Map.of("region", region, "known_regions", new TreeSet<>(config.knownRegions())));
    }
    PredictionsTable table = predictions.orElseThrow(() -> new ApiException(503,
        "no predictions table is configured", Map.of("hint", "start the API with --predictions DIR")));
    ArrayNode rows = table.latest(region).orElseThrow(() -> new ApiException(404,
        "no predictions for this region yet", Map.of("region", region,
            "table", table.root().toString())));
    ObjectNode answer = JSON.createObjectNode().put("region", region);
    answer.set("issue_ts", rows.get(0).get(PredictionsTable.ISSUE_TS));
    answer.set("rows", rows);
    json(ctx, 200, answer);
  }

  private void models(Context ctx) {
    ObjectNode answer = JSON.createObjectNode();
    Optional<LoadedModel> loaded = slot.current();
    if (loaded.isPresent()) {
      LoadedModel model = loaded.get();
      ObjectNode node = answer.putObject("loaded")
          .put("name", model.name()).put("version", model.version()).put("source", model.source())
          .put("loaded_at", model.loadedAt().toString());
      node.set("bundle", JSON.valueToTree(model.predictor().describe()));
    } else {
      answer.putNull("loaded");
    }
    if (registry.isEmpty()) {
      answer.putNull("registry");
    } else {
      ObjectNode node = answer.putObject("registry")
          .put("tracking_uri", registry.get().trackingUri()).put("name", registeredName);
      try {
        ArrayNode versions = node.putArray("versions");
        for (ModelRegistryClient.ModelVersion version : registry.get().versions(registeredName)) {
          ObjectNode v = versions.addObject().put("version", Integer.toString(version.version()))
              .put("source", version.source()).put("run_id", version.runId());
          v.set("aliases", JSON.valueToTree(version.aliases()));
          v.set("metrics", JSON.valueToTree(runMetrics(version.runId())));
        }
      } catch (TrackingUnavailableException | MlflowRequestException | ModelNotFoundException
          | UncheckedIOException e) {
        node.remove("versions");
        node.put("error", e.getMessage());
      }
    }
    json(ctx, 200, answer);
  }

  /** The latest metrics of the run that produced a version (empty when it has no run). */
  private Map<String, Double> runMetrics(String runId) {
    return runId == null || runId.isBlank() ? Map.of() : runs.orElseThrow().getRun(runId).metrics();
  }

  private void ready(Context ctx) {
    Optional<LoadedModel> loaded = slot.current();
    if (loaded.isPresent()) {
      json(ctx, 200, JSON.createObjectNode().put("status", "ready")
          .put("model", loaded.get().name()).put("version", loaded.get().version()));
    } else {
      ObjectNode answer = JSON.createObjectNode().put("status", "not ready")
          .put("reason", "no model is loaded yet");
      watcher.flatMap(AliasWatcher::lastError).ifPresent(e -> answer.put("last_error", e));
      json(ctx, 503, answer);
    }
  }

  /** Reads at most maxBodyBytes (also when the client sends no Content-Length) and parses JSON. */
  private JsonNode readBody(Context ctx) {
    long limit = config.maxBodyBytes();
    Map<String, Object> sizes = Map.of("max_bytes", limit);
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      long declared = ctx.contentLength();
      if (declared > limit) {
        drainOrClose(ctx, in);
        throw new ApiException(413, "request body too large", sizes);
      }
      // With a declared length (the usual case), read into an array of exactly that size; without
      // one (chunked), read up to one byte past the limit so an oversized body is detected.
      bytes = declared >= 0 && declared < Integer.MAX_VALUE - 8
          ? readDeclared(in, (int) declared)
          : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        drainOrClose(ctx, in);
        throw new ApiException(413, "request body too large", sizes);
      }
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body", e.getMessage());
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the body is not valid JSON", e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body", e.getMessage());
    }
  }

  /** Jetty's pool bounded to {@code max} threads (see {@link ApiConfig#defaultServerThreads()}). */
  private static QueuedThreadPool threadPool(int max) {
    QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(4, max));
    pool.setName("api-http");
    return pool;
  }

  /**
   * Before refusing an oversized body: reads and discards what is left of it, up to {@link
   * #DRAIN_LIMIT_BYTES}, so the client (still sending) gets the 413 answer rather than a connection
   * reset. Answering while the body is unread makes Jetty close the connection with bytes still in its
   * receive buffer, and TCP then resets it, which a client can see before the answer (seen as
   * "header parser received no bytes" in the API tests). A larger body is cut off with {@code
   * Connection: close}: reading gigabytes to be polite is not worth it.
   */
  private static void drainOrClose(Context ctx, InputStream in) {
    try {
      long skipped = 0;
      byte[] buffer = new byte[8192];
      int n;
      while (skipped <= DRAIN_LIMIT_BYTES && (n = in.read(buffer)) >= 0) {
        skipped += n;
      }
      if (skipped > DRAIN_LIMIT_BYTES) {
        ctx.header("Connection", "close");
      }
    } catch (IOException e) {
      ctx.header("Connection", "close");
    }
  }

  /** Exactly {@code length} bytes, or an error when the client sent fewer. */
  private static byte[] readDeclared(InputStream in, int length) throws IOException {
    byte[] bytes = new byte[length];
    int read = in.readNBytes(bytes, 0, length);
    if (read < length) {
      throw new IOException("the body ended after " + read + " of " + length + " declared bytes");
    }
    return bytes;
  }

  private static String routeOf(Context ctx) {
    try {
      return ctx.endpoint().path;
    } catch (RuntimeException noEndpoint) {
      return "unmatched";
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType(APPLICATION_JSON).result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  private static void error(Context ctx, int status, String message, Object detail) {
    ObjectNode body = JSON.createObjectNode().put("error", message);
    body.set("detail", JSON.valueToTree(detail));
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    json(ctx, status, body);
  }

  private static byte[] readResource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the serve jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
