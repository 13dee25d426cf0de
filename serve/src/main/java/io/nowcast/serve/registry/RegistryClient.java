package io.nowcast.serve.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few MLflow registry reads the API needs, over MLflow's REST API with the JDK HTTP client: the
 * version behind an alias, the versions with their aliases and run metrics, and a version's files
 * through the tracking server's artifact proxy. One small class on purpose, so it can be swapped for
 * the project's registry client when that exists. Credentials come from MLflow's own environment
 * variables ({@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD}).
 */
public final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "api/2.0/mlflow/";
  private static final String PROXY = "api/2.0/mlflow-artifacts/artifacts";
  private static final String PROXY_SCHEME = "mlflow-artifacts:";

  private final String baseUri;
  private final HttpClient http;
  private final Optional<String> authorization;

  /** One registered model version. */
  public record Version(
      String name, String version, String source, String runId, List<String> aliases) {}

  public RegistryClient(String trackingUri) {
    String trimmed = trackingUri == null ? "" : trackingUri.trim().replaceAll("/+$", "");
    if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
      throw new IllegalArgumentException(
          "MLflow tracking URI must be http(s)://host:port, got '" + trackingUri + "'");
    }
    this.baseUri = trimmed;
    // HTTP/1.1: MLflow's gunicorn does not speak h2c, so the upgrade attempt would be wasted.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.authorization = authorizationFromEnvironment();
  }

  public String trackingUri() {
    return baseUri;
  }

  /** The version the alias points at. */
  public Version versionForAlias(String model, String alias) {
    JsonNode answer =
        getJson(API + "registered-models/alias?name=" + encode(model) + "&alias=" + encode(alias));
    return version(answer.path("model_version"));
  }

  /** Every version of {@code model}, newest first, with its aliases. */
  public List<Version> versions(String name) {
    JsonNode answer =
        getJson(API + "model-versions/search?filter=" + encode("name='" + name.replace("'", "\\'") + "'")
            + "&max_results=200");
    // Version search leaves aliases out; the registered model lists them all.
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    JsonNode model = getJson(API + "registered-models/get?name=" + encode(name));
    for (JsonNode alias : model.path("registered_model").path("aliases")) {
      aliases.computeIfAbsent(alias.path("version").asText(), v -> new ArrayList<>())
          .add(alias.path("alias").asText());
    }
    List<Version> versions = new ArrayList<>();
    for (JsonNode node : answer.path("model_versions")) {
      Version v = version(node);
      versions.add(new Version(v.name(), v.version(), v.source(), v.runId(),
          List.copyOf(aliases.getOrDefault(v.version(), v.aliases()))));
    }
    versions.sort((a, b) -> Long.compare(parseLong(b.version()), parseLong(a.version())));
    return versions;
  }

  /** The latest metrics of the run that produced a version (empty when it has no run). */
  public Map<String, Double> runMetrics(String runId) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (runId == null || runId.isBlank()) {
      return metrics;
    }
    JsonNode answer = getJson(API + "runs/get?run_id=" + encode(runId));
    for (JsonNode metric : answer.path("run").path("data").path("metrics")) {
      metrics.put(metric.path("key").asText(), metric.path("value").asDouble());
    }
    return metrics;
  }

  /**
   * Downloads every file of a version into {@code target} (created). The server resolves the
   * version's source (for {@code runs:/...} too) to an {@code mlflow-artifacts:} location that its
   * artifact proxy serves.
   */
  public Path download(Version version, Path target) {
    JsonNode answer =
        getJson(API + "model-versions/get-download-uri?name=" + encode(version.name())
            + "&version=" + encode(version.version()));
    String uri = resolveRunsUri(answer.path("artifact_uri").asText(""));
    if (!uri.startsWith(PROXY_SCHEME)) {
      throw new RegistryException(
          "version " + version.version() + " of " + version.name() + " is stored at '" + uri
              + "', which is not served by the tracking server's artifact proxy (mlflow-artifacts:)");
    }
    String root = uri.substring(PROXY_SCHEME.length());
    if (root.startsWith("//")) {
      int slash = root.indexOf('/', 2);
      root = slash < 0 ? "" : root.substring(slash);
    }
    root = root.replaceAll("^/+", "").replaceAll("/+$", "");
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new RegistryException("cannot create " + target + ": " + e.getMessage(), e);
    }
    copyTree(root, root, target);
    return target;
  }

  /**
   * {@code runs:/<run_id>/<path>} (what MLflow 2.17 stores and returns for a version registered from a
   * run) becomes the run's artifact root plus the path; other URIs are returned as they are.
   */
  private String resolveRunsUri(String uri) {
    if (!uri.startsWith("runs:/")) {
      return uri;
    }
    String rest = uri.substring("runs:/".length()).replaceAll("^/+", "");
    int slash = rest.indexOf('/');
    String runId = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
    String root = getJson(API + "runs/get?run_id=" + encode(runId))
        .path("run").path("info").path("artifact_uri").asText("");
    return path.isEmpty() ? root : root.replaceAll("/+$", "") + "/" + path;
  }

  private void copyTree(String root, String dir, Path target) {
    JsonNode listing = getJson(PROXY + "?path=" + encode(dir));
    for (JsonNode file : listing.path("files")) {
      String name = file.path("path").asText();
      String child = dir + "/" + name;
      Path local = target.resolve(child.substring(root.length() + 1)).normalize();
      if (!local.startsWith(target.normalize())) {
        throw new RegistryException("artifact path escapes the model directory: " + child);
      }
      if (file.path("is_dir").asBoolean()) {
        copyTree(root, child, target);
      } else {
        downloadFile(PROXY + "/" + encodePath(child), local);
      }
    }
  }

  private Version version(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      throw new RegistryException("MLflow answered without a model_version");
    }
    List<String> aliases = new ArrayList<>();
    node.path("aliases").forEach(a -> aliases.add(a.asText()));
    return new Version(
        node.path("name").asText(),
        node.path("version").asText(),
        node.path("source").asText(""),
        node.path("run_id").asText(""),
        aliases);
  }

  private JsonNode getJson(String relative) {
    try (InputStream body = send(relative)) {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException("reading " + baseUri + "/" + relative + ": " + e.getMessage(), e);
    }
  }

  private void downloadFile(String relative, Path local) {
    try (InputStream body = send(relative)) {
      Files.createDirectories(local.getParent());
      Files.copy(body, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new RegistryException("downloading " + relative + " to " + local + ": " + e.getMessage(), e);
    }
  }

  /** GET, returning the open body on 2xx; otherwise a {@link RegistryException} with MLflow's message. */
  private InputStream send(String relative) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUri + "/" + relative)).timeout(Duration.ofMinutes(5));
    authorization.ifPresent(value -> builder.header("Authorization", value));
    HttpResponse<InputStream> response;
    try {
      response = http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new RegistryException("MLflow server at " + baseUri + " is not reachable (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while calling " + baseUri, e);
    }
    if (response.statusCode() / 100 == 2) {
      return response.body();
    }
    String message;
    try (InputStream in = response.body()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      message = text;
      try {
        message = JSON.readTree(text).path("message").asText(text);
      } catch (IOException notJson) {
        // keep the raw text
      }
    } catch (IOException e) {
      message = "";
    }
    message = message.replaceAll("\\s+", " ");
    throw new RegistryException(
        "MLflow answered " + response.statusCode() + " to GET /" + relative.replaceAll("\\?.*", "")
            + ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
  }

  private static Optional<String> authorizationFromEnvironment() {
    String user = System.getenv("MLFLOW_TRACKING_USERNAME");
    String password = System.getenv("MLFLOW_TRACKING_PASSWORD");
    if (user != null && password != null) {
      String pair = user + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.ofNullable(System.getenv("MLFLOW_TRACKING_TOKEN")).map(t -> "Bearer " + t);
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String path) {
    return String.join(
        "/", java.util.Arrays.stream(path.split("/")).map(RegistryClient::encode).toList());
  }

  /** The registry could not be read: server down, model or alias missing, files not proxied. */
  public static final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
      super(message);
    }

    public RegistryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
