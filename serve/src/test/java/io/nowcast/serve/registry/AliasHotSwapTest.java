package io.nowcast.serve.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.serve.api.ApiConfig;
import io.nowcast.serve.api.ApiServer;
import io.nowcast.serve.bench.TinyBundle;
import io.nowcast.serve.model.ModelSlot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Loading from a real MLflow registry and following its alias while clients keep sending requests. */
@ExtendWith(MlflowServerExtension.class)
class AliasHotSwapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void movingTheAliasSwapsTheModelWithoutFailingARequest(@MlflowUri String mlflow) throws Exception {
    String name = "serve-swap-" + System.nanoTime();
    RegistryFixture fixture = new RegistryFixture(mlflow);
    fixture.createModel(name);
    Path first = dir.resolve("v1");
    Path second = dir.resolve("v2");
    TinyBundle.write(first, 1, false);
    TinyBundle.write(second, 2, true);
    String v1 = fixture.register(name, first, 0.12);
    fixture.setAlias(name, "production", v1);

    Map<String, Double> features = TinyBundle.randomFeatures(new Random(8));
    double load = 5000.0;
    double expectedV1 = p50(first, features, load);
    double expectedV2 = p50(second, features, load);
    assertNotEquals(expectedV1, expectedV2, 1e-6, "the two models must be told apart");

    ModelRegistryClient registry = new ModelRegistryClient(mlflow);
    ModelSlot slot = new ModelSlot();
    ApiConfig config = new ApiConfig("127.0.0.1", 0, 10, 1 << 20, Set.of("N.Y.C."), Optional.empty());
    try (AliasWatcher watcher = new AliasWatcher(registry, name, "production", dir.resolve("cache"), slot, 1);
        ApiServer server = new ApiServer(config, slot, Optional.of(registry), Optional.of(watcher), name)) {
      watcher.start(Duration.ofMillis(300));
      server.start();
      String base = "http://127.0.0.1:" + server.port();
      assertEquals(200, get(base + "/ready").statusCode(), "ready with the production version");

      String body = body(features, load);
      List<String> failures = new CopyOnWriteArrayList<>();
      Map<String, Double> p50ByVersion = new ConcurrentHashMap<>();
      Map<String, Integer> countByVersion = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = List.of(
          client(base, body, stop, failures, p50ByVersion, countByVersion),
          client(base, body, stop, failures, p50ByVersion, countByVersion));
      clients.forEach(Thread::start);
      Thread.sleep(500);

      String v2 = fixture.register(name, second, 0.10);
      fixture.setAlias(name, "production", v2);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (countByVersion.getOrDefault(v2, 0) < 50 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      stop.set(true);
      for (Thread client : clients) {
        client.join();
      }

      assertEquals(List.of(), failures, "no request failed during the swap");
      assertTrue(countByVersion.getOrDefault(v1, 0) > 0, "served v1 first: " + countByVersion);
      assertTrue(countByVersion.getOrDefault(v2, 0) >= 50, "then v2: " + countByVersion);
      assertEquals(expectedV1, p50ByVersion.get(v1), 1e-6);
      assertEquals(expectedV2, p50ByVersion.get(v2), 1e-6);

      JsonNode models = JSON.readTree(get(base + "/v1/models").body());
      assertEquals(v2, models.path("loaded").path("version").asText());
      JsonNode versions = models.path("registry").path("versions");
      assertEquals(2, versions.size(), models.toString());
      assertEquals(v2, versions.get(0).path("version").asText());
      assertEquals("production", versions.get(0).path("aliases").get(0).asText());
      assertEquals(0.10, versions.get(0).path("metrics").path("mae_h15").asDouble(), 1e-12);
      assertEquals(0, versions.get(1).path("aliases").size());
    } finally {
      slot.close();
    }
  }

  @Test
  void aMissingAliasOrServerLeavesTheApiNotReadyWithTheReason(@MlflowUri String mlflow) throws Exception {
    ModelSlot slot = new ModelSlot();
    ModelRegistryClient registry = new ModelRegistryClient(mlflow);
    try (AliasWatcher watcher =
        new AliasWatcher(registry, "no-such-model-" + System.nanoTime(), "production", dir, slot, 1)) {
      watcher.checkOnce();
      assertTrue(slot.current().isEmpty());
      assertTrue(watcher.lastError().orElse("").contains("does not exist"), watcher.lastError().toString());
    }
    try (AliasWatcher watcher =
        new AliasWatcher(new ModelRegistryClient("http://127.0.0.1:9"), "m", "production", dir, slot, 1)) {
      watcher.checkOnce();
      assertTrue(watcher.lastError().orElse("").contains("not reachable"), watcher.lastError().toString());
    }
  }

  private static Thread client(String base, String body, AtomicBoolean stop, List<String> failures,
      Map<String, Double> p50ByVersion, Map<String, Integer> countByVersion) {
    return new Thread(() -> {
      while (!stop.get()) {
        try {
          HttpResponse<String> response = HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/nowcast"))
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            failures.add(response.statusCode() + " " + response.body());
            continue;
          }
          JsonNode answer = JSON.readTree(response.body());
          String version = answer.path("model").path("version").asText();
          double p50 = answer.path("predictions").get(0).path("horizons").get(0).path("p50").asDouble();
          Double previous = p50ByVersion.putIfAbsent(version, p50);
          if (previous != null && Math.abs(previous - p50) > 1e-9) {
            failures.add("version " + version + " answered " + p50 + " and " + previous);
          }
          countByVersion.merge(version, 1, Integer::sum);
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }
    });
  }

  /** P50 at the first horizon straight from the bundle's boosters (sorted over all outputs). */
  private static double p50(Path bundle, Map<String, Double> features, double load) throws Exception {
    float[] row = new float[TinyBundle.FEATURES.size()];
    row[0] = TinyBundle.HORIZONS.get(0);
    for (int c = 1; c < row.length; c++) {
      row[c] = features.get(TinyBundle.FEATURES.get(c)).floatValue();
    }
    List<Double> outputs = new java.util.ArrayList<>();
    for (String file : List.of("model.ubj", "extra/p10_p90.ubj")) {
      if (!bundle.resolve(file).toFile().isFile()) {
        continue;
      }
      Booster booster = XGBoost.loadModel(bundle.resolve(file).toString());
      DMatrix matrix = new DMatrix(row, 1, row.length, Float.NaN);
      try {
        for (float v : booster.predict(matrix)[0]) {
          outputs.add((double) v);
        }
      } finally {
        matrix.dispose();
        booster.dispose();
      }
    }
    outputs.sort(Double::compare);
    return load * (1 + outputs.get(1));
  }

  private static String body(Map<String, Double> features, double load) {
    ObjectNode row = JSON.createObjectNode().put("region", "N.Y.C.").put("load_now_mw", load);
    row.set("features", JSON.valueToTree(features));
    ObjectNode root = JSON.createObjectNode();
    root.putArray("rows").add(row);
    return root.toString();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
