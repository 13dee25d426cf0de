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
