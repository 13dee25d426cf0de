package io.nowcast.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.models.tracking.MlflowModelServer;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.models.tracking.TinyBoosters;
import io.nowcast.models.tracking.TrackingUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's own model server, started for real on a model registered and promoted through our code:
 * {@code models:/<name>@production} answers /invocations with the JVM booster's predictions.
 */
@ExtendWith(MlflowServerExtension.class)
class MlflowModelServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void servesTheProductionModelWithTheJvmsPredictions(@MlflowUri String uri, @TempDir Path tmp) throws Exception {
    String model = "model-server-test-" + UUID.randomUUID();
    Booster booster = TinyBoosters.quantile(11, 12);
    try (RunTracker run = RunTrackers.open(uri, "model-server-test", "train", Map.of())) {
      java.nio.file.Path dir = tmp.resolve("m");
      io.nowcast.models.tracking.MlflowXgboostFlavor.write(dir, booster, TinyBoosters.quantileBundle());
      ModelRegistrar.register(uri, model, run, dir, Map.of("mae_h15", 1.0), "fp", "folds");
      run.finish(true);
    }
    new Promoter(uri, "model-server-test").promote(new Promoter.Request(model, null, null, 0.0, false));
    ModelVersion production = new ModelRegistryClient(uri).getByAlias(model, RegistryNames.PRODUCTION);
    assertEquals(1, production.version());

    float[][] rows = TinyBoosters.rows(21, 50);
    float[][] jvm = TinyBoosters.predict(booster, rows);
    try (MlflowModelServer server = MlflowModelServer.start(
        MlflowModelServer.options(uri, "models:/" + model + "@production", tmp.resolve("serve")))) {
      assertTrue(server.startupTime().toMillis() > 0);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.invocationsUrl()))
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"dataframe_split\": " + TinyBoosters.dataframeSplit(rows) + "}"))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode predictions = JSON.readTree(response.body()).path("predictions");
      assertEquals(rows.length, predictions.size());
      for (int i = 0; i < rows.length; i++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(jvm[i][k], predictions.get(i).get(k).asDouble(), 1e-5, "row " + i + " output " + k);
        }
      }
      // A row without a required feature column is refused by MLflow's schema enforcement.
      HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(server.invocationsUrl()))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"dataframe_split\": {\"columns\": [\"horizon_min\"], \"data\": [[15.0]]}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("x_rel_lag_5m"), bad.body());
    }
    // `make serve-mlflow` runs scripts/serve-mlflow: the same predictions from the script's server.
    assertEquals(rows.length, servedByScript(uri, "models:/" + model + "@production", rows, jvm, tmp));
  }

  /** Starts scripts/serve-mlflow, checks its predictions against {@code jvm}, stops it; returns rows checked. */
  private static int servedByScript(String uri, String modelUri, float[][] rows, float[][] jvm, Path tmp)
      throws Exception {
    Path home = Path.of(System.getProperty("nowcast.home", "..")).toAbsolutePath().normalize();
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder(home.resolve("scripts/serve-mlflow").toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("serve-mlflow.log").toFile());
    builder.environment().put("MLFLOW_TRACKING_URI", uri);
    builder.environment().put("MODEL_URI", modelUri);
    builder.environment().put("MLFLOW_SERVE_PORT", Integer.toString(port));
    builder.environment().put("NOWCAST_MLFLOW_SERVE_VENV",
        io.nowcast.models.tracking.MlflowVenv.resolveServingDir().toString());
    Process process = builder.start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (true) {
        assertTrue(process.isAlive(), () -> "serve-mlflow exited: " + read(tmp.resolve("serve-mlflow.log")));
        try {
          if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        assertTrue(System.nanoTime() < deadline, () -> "no /ping: " + read(tmp.resolve("serve-mlflow.log")));
        Thread.sleep(200);
      }
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"dataframe_split\": " + TinyBoosters.dataframeSplit(rows) + "}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode predictions = JSON.readTree(response.body()).path("predictions");
      for (int i = 0; i < rows.length; i++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(jvm[i][k], predictions.get(i).get(k).asDouble(), 1e-5, "script server, row " + i);
        }
      }
      return predictions.size();
    } finally {
      // The script execs Python, which forks gunicorn and its worker: stop them all.
      java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroy);
      for (ProcessHandle handle : tree) {
        try {
          handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          handle.destroyForcibly();
        }
      }
    }
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Test
  void aMissingAliasFailsTheStartWithMlflowsReason(@MlflowUri String uri, @TempDir Path tmp) {
    String model = "model-server-missing-" + UUID.randomUUID();
    TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class,
        () -> MlflowModelServer.start(MlflowModelServer.options(uri, "models:/" + model + "@production", tmp)));
    assertTrue(e.getMessage().startsWith("MLflow model server for models:/" + model + "@production exited"),
        e.getMessage());
    assertTrue(e.getMessage().contains("model-server.log"), e.getMessage());
  }
}
