package io.nowcast.serve.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.models.tracking.MlflowRunTracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registers model versions on a real MLflow server the way training and the registry code will: a run
 * with the bundle logged as {@code mlflow-model}, a version with source {@code runs:/<run>/mlflow-model},
 * aliases set over plain REST (the Java client has no registry writes).
 */
final class RegistryFixture {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String uri;
  private final HttpClient http = HttpClient.newHttpClient();

  RegistryFixture(String uri) {
    this.uri = uri.replaceAll("/+$", "");
  }

  void createModel(String name) throws Exception {
    post("registered-models/create", Map.of("name", name));
  }

  /** Logs {@code bundleDir} in a new run and registers it; returns the version number. */
  String register(String name, Path bundleDir, double mae) throws Exception {
    String runId;
    try (MlflowRunTracker run = MlflowRunTracker.start(uri, "serve-tests", "bundle-" + mae, Map.of())) {
      run.logArtifacts(bundleDir, "mlflow-model");
      run.logMetrics(Map.of("mae_h15", mae), 0);
      runId = run.runId();
      run.finish(true);
    }
    JsonNode created = post("model-versions/create",
        Map.of("name", name, "source", "runs:/" + runId + "/mlflow-model", "run_id", runId));
    return created.path("model_version").path("version").asText();
  }

  void setAlias(String name, String alias, String version) throws Exception {
    post("registered-models/alias", Map.of("name", name, "alias", alias, "version", version));
  }

  private JsonNode post(String path, Map<String, String> body) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
