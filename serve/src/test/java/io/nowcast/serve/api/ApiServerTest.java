package io.nowcast.serve.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.serve.bench.TinyBundle;
import io.nowcast.serve.model.BundlePredictor;
import io.nowcast.serve.model.LoadedModel;
import io.nowcast.serve.model.ModelSlot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on a real Jetty on loopback, with a real tiny booster. */
class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REGIONS = Set.of("N.Y.C.", "HUD VL", "SYN-1");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static ApiServer server;
  private static ModelSlot slot;
  private static String base;

  @BeforeAll
  static void start() {
    TinyBundle.write(dir, 42, false);
    slot = new ModelSlot();
    slot.swap(new LoadedModel(BundlePredictor.load(dir, 1), "tiny", "local", dir.toString()));
    ApiConfig config = new ApiConfig("127.0.0.1", 0, 50, 64 * 1024, REGIONS, Optional.empty());
    server = new ApiServer(config, slot, Optional.empty(), Optional.empty(), "power-nowcast-xgb").start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
    slot.close();
  }

  @Test
  void forecastsEqualTheBoostersOwnPredictionsScaledByTheLoad() throws Exception {
    Random random = new Random(9);
    List<Map<String, Double>> features = new ArrayList<>();
    double[] loads = {5000.0, 1234.5, 880.0};
    ArrayNode rows = JSON.createArrayNode();
    for (int r = 0; r < loads.length; r++) {
      Map<String, Double> row = TinyBundle.randomFeatures(random);
      features.add(row);
      ObjectNode node = rows.addObject().put("region", r == 1 ? "HUD VL" : "N.Y.C.")
          .put("load_now_mw", loads[r]);
      node.set("features", JSON.valueToTree(row));
    }
    HttpResponse<String> response = post(JSON.createObjectNode().set("rows", rows).toString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode answer = JSON.readTree(response.body());
    assertEquals("tiny", answer.path("model").path("name").asText());
    JsonNode predictions = answer.path("predictions");
    assertEquals(loads.length, predictions.size());

    Booster booster = XGBoost.loadModel(dir.resolve("model.ubj").toString());
    try {
      for (int r = 0; r < loads.length; r++) {
        JsonNode horizons = predictions.get(r).path("horizons");
        assertEquals(TinyBundle.HORIZONS.size(), horizons.size());
        for (int k = 0; k < TinyBundle.HORIZONS.size(); k++) {
          int horizon = TinyBundle.HORIZONS.get(k);
          float[] direct = predictOne(booster, horizon, features.get(r));
          double[] expected = new double[3];
          for (int q = 0; q < 3; q++) {
            expected[q] = loads[r] * (1.0 + direct[q]);
          }
          Arrays.sort(expected);
          JsonNode got = horizons.get(k);
          assertEquals(horizon, got.path("horizon_min").asInt());
          assertEquals(expected[0], got.path("p10").asDouble(), 1e-6);
          assertEquals(expected[1], got.path("p50").asDouble(), 1e-6);
          assertEquals(expected[2], got.path("p90").asDouble(), 1e-6);
        }
      }
    } finally {
      booster.dispose();
    }
  }

  @Test
  void nullFeaturesAreMissingValuesNotErrors() throws Exception {
    Map<String, Object> features = new java.util.HashMap<>(TinyBundle.randomFeatures(new Random(4)));
    features.put("x_temp_c", null);
    HttpResponse<String> response = post(body("N.Y.C.", 4000.0, features));
    assertEquals(200, response.statusCode(), response.body());
    JsonNode first = JSON.readTree(response.body()).path("predictions").get(0).path("horizons").get(0);
    assertTrue(Double.isFinite(first.path("p50").asDouble()));
  }

  @Test
  void refusesBadRequestsWithAClearJsonError() throws Exception {
    Map<String, Object> good = new java.util.HashMap<>(TinyBundle.randomFeatures(new Random(5)));

    assertError(post(body("ATLANTIS", 100.0, good)), 400, "unknown region");

    Map<String, Object> missing = new java.util.HashMap<>(good);
    missing.remove("x_rel_lag_5m");
    JsonNode error = assertError(post(body("N.Y.C.", 100.0, missing)), 400, "missing features");
    assertEquals("x_rel_lag_5m", error.path("detail").path("missing").get(0).asText());

    Map<String, Object> text = new java.util.HashMap<>(good);
    text.put("x_temp_c", "warm");
    error = assertError(post(body("N.Y.C.", 100.0, text)), 400, "non-numeric features");
    assertEquals("string", error.path("detail").path("not_numeric").path("x_temp_c").asText());

    assertError(post(body("N.Y.C.", -5.0, good)), 400, "load_now_mw");
    assertError(post("{not json"), 400, "not valid JSON");
    assertError(post("{\"rows\": []}"), 400, "non-empty array");
    assertError(post("{\"regions\": [\"N.Y.C.\"]}"), 501, "not supported");

    ArrayNode many = JSON.createArrayNode();
    for (int i = 0; i < 51; i++) {
      many.add(JSON.readTree(body("N.Y.C.", 100.0, good)).path("rows").get(0));
    }
    error = assertError(post(JSON.createObjectNode().set("rows", many).toString()), 400, "too many rows");
    assertEquals(50, error.path("detail").path("max_rows").asInt());

    String huge = "{\"rows\": [], \"pad\": \"" + "x".repeat(70 * 1024) + "\"}";
    // Many times: refused while the client was still sending, the answer used to be lost to a
    // connection reset now and then (18 of 400 requests before the server drained the body first).
    for (int i = 0; i < 200; i++) {
      assertError(post(huge), 413, "too large");
    }
    // Without a Content-Length (chunked), the limit holds too.
    HttpResponse<String> chunked = HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/nowcast"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(chunked, 413, "too large");

    assertError(get("/v1/nope"), 404, "no such route");
    assertError(get("/v1/nowcast/ATLANTIS/latest"), 404, "unknown region");
    assertError(get("/v1/nowcast/N.Y.C./latest"), 503, "no predictions table");
  }

  @Test
  void healthReadyModelsOpenApiAndMetrics() throws Exception {
    assertEquals(200, get("/health").statusCode());
    JsonNode ready = JSON.readTree(get("/ready").body());
    assertEquals("ready", ready.path("status").asText());

    JsonNode models = JSON.readTree(get("/v1/models").body());
    assertEquals("tiny", models.path("loaded").path("name").asText());
    assertEquals(TinyBundle.FEATURES.size(), models.path("loaded").path("bundle").path("features").size());
    assertTrue(models.path("registry").isNull());

    post(body("N.Y.C.", 100.0, new java.util.HashMap<>(TinyBundle.randomFeatures(new Random(6)))));
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/nowcast\",status=\"200\"}"),
        metrics);
    assertTrue(metrics.contains("http_server_requests_seconds_bucket{"), "a latency histogram");
  }

  @Test
  void theOpenApiDocumentListsEveryRoute() throws Exception {
    HttpResponse<String> response = get("/openapi.json");
    assertEquals(200, response.statusCode());
    JsonNode doc = JSON.readTree(response.body());
    assertTrue(doc.path("openapi").asText().startsWith("3."));
    List<String> documented = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
    }
    List<String> served = ApiServer.ROUTES.stream().map(r -> r.method() + " " + r.path()).toList();
    assertEquals(Set.copyOf(served), Set.copyOf(documented));
    for (ApiServer.Route route : ApiServer.ROUTES) {
      if (route.method().equals("GET") && !route.path().contains("{")) {
        assertFalse(get(route.path()).statusCode() == 404, route + " is served");
      }
    }
  }

  @Test
  void notReadyWithoutAModel() throws Exception {
    ModelSlot empty = new ModelSlot();
    ApiConfig config = new ApiConfig("127.0.0.1", 0, 10, 1024, REGIONS, Optional.empty());
    try (ApiServer bare = new ApiServer(config, empty, Optional.empty(), Optional.empty(), "x").start()) {
      HttpResponse<String> ready = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode());
      HttpResponse<String> nowcast = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + "/v1/nowcast"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"rows\":[]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(nowcast, 503, "no model");
    }
  }

  @Test
  void theSmallestThreadPoolAnswersEveryOneOfManyConcurrentClients() throws Exception {
    ApiConfig config = new ApiConfig("127.0.0.1", 0, 10, 64 * 1024, REGIONS, Optional.empty(), 1,
        ApiConfig.MIN_SERVER_THREADS);
    try (ApiServer small = new ApiServer(config, slot, Optional.empty(), Optional.empty(), "x").start()) {
      URI uri = URI.create("http://127.0.0.1:" + small.port() + "/v1/nowcast");
      String body = body("N.Y.C.", 1000.0, TinyBundle.randomFeatures(new Random(5)));
      int clients = 48;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
      try {
        List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
        for (int c = 0; c < clients * 4; c++) {
          // One client per connection: the JDK client would otherwise share a few.
          answers.add(pool.submit(() -> HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode()));
        }
        for (java.util.concurrent.Future<Integer> answer : answers) {
          assertEquals(200, answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void tooFewServerThreadsIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ApiConfig(
        "127.0.0.1", 0, 10, 1024, REGIONS, Optional.empty(), 1, ApiConfig.MIN_SERVER_THREADS - 1));
    assertTrue(e.getMessage().contains("serverThreads must be >= " + ApiConfig.MIN_SERVER_THREADS),
        e.getMessage());
  }

  @Test
  void theServeClasspathHasNoSpark() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.sql.SparkSession"));
  }

  static float[] predictOneInputs(int horizon, Map<String, Double> features) {
    float[] row = new float[TinyBundle.FEATURES.size()];
    row[0] = horizon;
    for (int c = 1; c < row.length; c++) {
      row[c] = features.get(TinyBundle.FEATURES.get(c)).floatValue();
    }
    return row;
  }

  private static float[] predictOne(Booster booster, int horizon, Map<String, Double> features)
      throws Exception {
    DMatrix matrix = new DMatrix(predictOneInputs(horizon, features), 1, TinyBundle.FEATURES.size(), Float.NaN);
    try {
      return booster.predict(matrix)[0];
    } finally {
      matrix.dispose();
    }
  }

  private static String body(String region, double load, Map<String, ?> features) {
    ObjectNode row = JSON.createObjectNode().put("region", region).put("load_now_mw", load);
    row.set("features", JSON.valueToTree(features));
    ObjectNode root = JSON.createObjectNode();
    root.putArray("rows").add(row);
    return root.toString();
  }

  private static JsonNode assertError(HttpResponse<String> response, int status, String fragment)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertNotNull(body.get("error"), response.body());
    assertTrue(body.path("error").asText().contains(fragment), response.body());
    assertFalse(response.body().contains("at io.") || response.body().contains("Exception"),
        "no stack trace: " + response.body());
    return body;
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/nowcast"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
