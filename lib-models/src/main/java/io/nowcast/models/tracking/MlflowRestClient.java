package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads runs and artifacts from an MLflow tracking server over its REST API, with no Python and no
 * Java-client quirks (the Java client downloads artifacts through Python). Used by tests and the
 * registry code.
 *
 * <p>Errors: {@link TrackingUnavailableException} ("MLflow server at X is not reachable") when nothing
 * answers; {@link MlflowRequestException} naming the URL and HTTP status when the server refuses.
 */
public final class MlflowRestClient {
  private static final String API = "api/2.0/mlflow/";

  private final MlflowHttp http;

  /** A client for the server at {@code trackingUri} (http or https). */
  public MlflowRestClient(String trackingUri) {
    this.http = new MlflowHttp(TrackingEndpoint.of(trackingUri));
  }

  /** The normalised tracking URI (no trailing slash). */
  public String trackingUri() {
    return http.endpoint().uri();
  }

  /**
   * What a run holds. Metrics are the latest value of each key.
   *
   * @param status RUNNING, FINISHED, FAILED, KILLED or SCHEDULED
   * @param artifactUri e.g. {@code mlflow-artifacts:/1/<run>/artifacts}
   */
  public record RunData(
      String runId,
      String runName,
      String experimentId,
      String status,
      String artifactUri,
      Map<String, String> params,
      Map<String, Double> metrics,
      Map<String, String> tags) {}

  /**
   * One entry of an artifact listing.
   *
   * @param path path relative to the run's artifact root, e.g. {@code plots/mae.png}
   * @param size bytes; 0 for directories (and for empty files, which MLflow lists without a size)
   */
  public record ArtifactFile(String path, boolean isDir, long size) {}

  /** GET runs/get. */
  public RunData getRun(String runId) {
    JsonNode run = http.getJson(API + "runs/get?run_id=" + MlflowHttp.encode(runId)).path("run");
    JsonNode info = run.path("info");
    JsonNode data = run.path("data");
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (JsonNode metric : data.path("metrics")) {
      metrics.put(metric.path("key").asText(), number(metric.path("value")));
    }
    return new RunData(
        info.path("run_id").asText(),
        info.path("run_name").asText(""),
        info.path("experiment_id").asText(),
        info.path("status").asText(),
        info.path("artifact_uri").asText(),
        keyValues(data.path("params")),
        metrics,
        keyValues(data.path("tags")));
  }

  /**
   * Lists the direct children of {@code path} (null or "" for the root) in a run's artifacts. An absent
   * directory lists as empty: MLflow answers that way, it does not say 404.
   */
  public List<ArtifactFile> listArtifacts(String runId, String path) {
    String clean = ProxiedArtifactRoot.cleanArtifactPath(path);
    String query = "artifacts/list?run_id=" + MlflowHttp.encode(runId)
        + (clean.isEmpty() ? "" : "&path=" + MlflowHttp.encode(clean));
    List<ArtifactFile> files = new ArrayList<>();
    for (JsonNode file : http.getJson(API + query).path("files")) {
      files.add(new ArtifactFile(
          file.path("path").asText(), file.path("is_dir").asBoolean(), file.path("file_size").asLong(0)));
    }
    return files;
  }

  /** Downloads one artifact file into memory, through the artifact proxy. */
  public byte[] downloadArtifact(String runId, String path) {
    return http.getBytes(artifactRoot(runId).url(path));
  }

  /** Downloads one artifact file to {@code target}, streaming (for model files). */
  public void downloadArtifact(String runId, String path, Path target) {
    http.download(artifactRoot(runId).url(path), target);
  }

  /** Sets a tag on a run (finished runs too), overwriting an earlier value. */
  public void setRunTag(String runId, String key, String value) {
    com.fasterxml.jackson.databind.node.ObjectNode body = MlflowHttp.JSON.createObjectNode()
        .put("run_id", runId).put("key", MlflowNames.key(key)).put("value", MlflowNames.tagValue(value));
    http.postJson(API + "runs/set-tag", body);
  }

  /** Uploads {@code localFile} to {@code artifactDir/<file name>} of a run (finished runs too). */
  public void uploadArtifact(String runId, Path localFile, String artifactDir) {
    new ArtifactUploader(http, artifactRoot(runId)).uploadFile(localFile, artifactDir);
  }

  private ProxiedArtifactRoot artifactRoot(String runId) {
    return ProxiedArtifactRoot.of(getRun(runId).artifactUri(), runId, trackingUri());
  }

  private static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode entry : array) {
      values.put(entry.path("key").asText(), entry.path("value").asText());
    }
    return values;
  }

  /** MLflow writes NaN and infinities as the JSON strings "NaN", "Infinity", "-Infinity". */
  private static double number(JsonNode value) {
    return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
  }
}
