package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's model registry over its REST API (2.x endpoints under {@code /api/2.0/mlflow/}), because the
 * MLflow Java client cannot write to the registry. Aliases ({@code staging}, {@code production}) are
 * MLflow's successor to stages and the only pointer this project uses.
 *
 * <p>Errors: {@link TrackingUnavailableException} naming the URL when the server does not answer;
 * {@link ModelNotFoundException} when the model, version or alias does not exist (telling which);
 * {@link MlflowRequestException} for other refusals.
 */
public final class ModelRegistryClient {
  private static final String API = "api/2.0/mlflow/";
  private static final String NOT_FOUND = "RESOURCE_DOES_NOT_EXIST";

  private final MlflowHttp http;

  /** A client for the server at {@code trackingUri} (http or https). */
  public ModelRegistryClient(String trackingUri) {
    this.http = new MlflowHttp(TrackingEndpoint.of(trackingUri));
  }

  /** The normalised tracking URI (no trailing slash). */
  public String trackingUri() {
    return http.endpoint().uri();
  }

  /**
   * One registered version of a model.
   *
   * @param version MLflow's version number (1, 2, ...)
   * @param source where the model's files are, e.g. {@code runs:/<run>/mlflow-model}
   * @param status READY, PENDING_REGISTRATION or FAILED_REGISTRATION
   * @param aliases the aliases pointing at this version
   */
  public record ModelVersion(
      String name,
      int version,
      String source,
      String runId,
      String status,
      Map<String, String> tags,
      List<String> aliases) {

    /** {@code models:/<name>/<version>}, the URI MLflow's tools load a version by. */
    public String modelUri() {
      return "models:/" + name + "/" + version;
    }
  }

  /** Creates the registered model unless it exists already (another process may create it first). */
  public void ensureRegisteredModel(String name) {
    requireName(name);
    ObjectNode body = MlflowHttp.JSON.createObjectNode().put("name", name);
    try {
      http.postJson(API + "registered-models/create", body);
    } catch (MlflowRequestException e) {
      if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        throw e;
      }
    }
  }

  /** True when the registered model exists. */
  public boolean registeredModelExists(String name) {
    try {
      http.getJson(API + "registered-models/get?name=" + MlflowHttp.encode(name));
      return true;
    } catch (MlflowRequestException e) {
      if (NOT_FOUND.equals(e.errorCode())) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Registers a new version of {@code name} (creating the registered model if needed).
   *
   * @param source e.g. {@code runs:/<runId>/mlflow-model}
   * @param runId the run that produced the model (links the version to its metrics)
   * @param tags version tags (data fingerprint, backtest metrics ...)
   */
  public ModelVersion createVersion(String name, String source, String runId, Map<String, String> tags) {
    ensureRegisteredModel(name);
    ObjectNode body = MlflowHttp.JSON.createObjectNode().put("name", name).put("source", source);
    if (runId != null && !runId.isBlank()) {
      body.put("run_id", runId);
    }
    ArrayNode tagArray = body.putArray("tags");
    MlflowNames.sanitiseKeys(tags)
        .forEach((key, value) -> tagArray.addObject().put("key", key).put("value", MlflowNames.tagValue(value)));
    return parse(http.postJson(API + "model-versions/create", body).path("model_version"));
  }

  /** The version {@code version} of {@code name}. */
  public ModelVersion getVersion(String name, int version) {
    try {
      return parse(http.getJson(API + "model-versions/get?name=" + MlflowHttp.encode(name)
          + "&version=" + version).path("model_version"));
    } catch (MlflowRequestException e) {
      throw notFound(e, name, () -> "registered model '" + name + "' has no version " + version
          + " at " + trackingUri());
    }
  }

  /** The version behind {@code alias}; fails naming what is missing (the model or the alias). */
  public ModelVersion getByAlias(String name, String alias) {
    return findByAlias(name, alias)
        .orElseThrow(() -> new ModelNotFoundException(
            "registered model '" + name + "' has no alias '" + alias + "' at " + trackingUri()
                + describeAliases(name), null));
  }

  /**
   * The version behind {@code alias}, or empty when the model exists but the alias does not.
   *
   * @throws ModelNotFoundException when the registered model itself does not exist
   */
  public Optional<ModelVersion> findByAlias(String name, String alias) {
    try {
      return Optional.of(parse(http.getJson(API + "registered-models/alias?name=" + MlflowHttp.encode(name)
          + "&alias=" + MlflowHttp.encode(alias)).path("model_version")));
    } catch (MlflowRequestException e) {
      // MLflow 2.17's SQL store answers a missing alias with 400 INVALID_PARAMETER_VALUE "Registered
      // model alias X not found." and does not check the model; other stores say 404.
      boolean missing = NOT_FOUND.equals(e.errorCode())
          || ("INVALID_PARAMETER_VALUE".equals(e.errorCode()) && e.getMessage().contains("not found"));
      if (!missing) {
        throw e;
      }
      if (!registeredModelExists(name)) {
        throw missingModel(name, e);
      }
      return Optional.empty();
    }
  }

  /** The aliases of {@code name} and the versions they point at. */
  public Map<String, Integer> aliases(String name) {
    JsonNode model;
    try {
      model = http.getJson(API + "registered-models/get?name=" + MlflowHttp.encode(name)).path("registered_model");
    } catch (MlflowRequestException e) {
      throw notFound(e, name, () -> "registered model '" + name + "' does not exist at " + trackingUri());
    }
    Map<String, Integer> aliases = new LinkedHashMap<>();
    for (JsonNode alias : model.path("aliases")) {
      aliases.put(alias.path("alias").asText(), Integer.parseInt(alias.path("version").asText()));
    }
    return aliases;
  }

  /** The highest version number of {@code name}, or empty when it has none. */
  public Optional<ModelVersion> latestVersion(String name) {
    String filter = "name='" + name.replace("'", "\\'") + "'";
    JsonNode found = http.getJson(API + "model-versions/search?filter=" + MlflowHttp.encode(filter)
        + "&order_by=" + MlflowHttp.encode("version_number DESC") + "&max_results=1");
    JsonNode versions = found.path("model_versions");
    return versions.isEmpty() ? Optional.empty() : Optional.of(parse(versions.get(0)));
  }

  /**
   * Every version of {@code name} (up to 200), newest first, each with the aliases pointing at it.
   *
   * @throws ModelNotFoundException when the registered model does not exist
   */
  public List<ModelVersion> versions(String name) {
    String filter = "name='" + name.replace("'", "\\'") + "'";
    JsonNode found = http.getJson(API + "model-versions/search?filter=" + MlflowHttp.encode(filter)
        + "&max_results=200");
    // The version search leaves aliases out; the registered model lists them all.
    Map<Integer, List<String>> aliasesByVersion = new LinkedHashMap<>();
    aliases(name).forEach((alias, version) ->
        aliasesByVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(alias));
    List<ModelVersion> versions = new ArrayList<>();
    for (JsonNode node : found.path("model_versions")) {
      ModelVersion v = parse(node);
      versions.add(new ModelVersion(v.name(), v.version(), v.source(), v.runId(), v.status(), v.tags(),
          List.copyOf(aliasesByVersion.getOrDefault(v.version(), v.aliases()))));
    }
    versions.sort(Comparator.comparingInt(ModelVersion::version).reversed());
    return versions;
  }

  /**
   * Downloads every file of {@code version} into {@code target} (created), through the tracking server's
   * artifact proxy. The server resolves the version's source to a location; a {@code runs:/<run>/<path>}
   * answer (what MLflow 2.17 gives for a version registered from a run) is resolved here to the run's
   * artifact root plus the path.
   *
   * @throws IllegalStateException when the files are not behind the artifact proxy ({@code mlflow-artifacts:})
   */
  public Path download(ModelVersion version, Path target) {
    String uri = http.getJson(API + "model-versions/get-download-uri?name=" + MlflowHttp.encode(version.name())
        + "&version=" + version.version()).path("artifact_uri").asText("");
    uri = resolveRunsUri(uri);
    if (!uri.startsWith(ProxiedArtifactRoot.SCHEME)) {
      throw new IllegalStateException(
          "version " + version.version() + " of " + version.name() + " is stored at '" + uri
              + "', which is not served by the tracking server's artifact proxy (mlflow-artifacts:)");
    }
    ProxiedArtifactRoot root = ProxiedArtifactRoot.of(uri, version.runId(), trackingUri());
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + target, e);
    }
    copyTree(root, "", target);
    return target;
  }

  private String resolveRunsUri(String uri) {
    if (!uri.startsWith("runs:/")) {
      return uri;
    }
    String rest = uri.substring("runs:/".length()).replaceAll("^/+", "");
    int slash = rest.indexOf('/');
    String runId = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
    String root = http.getJson(API + "runs/get?run_id=" + MlflowHttp.encode(runId))
        .path("run").path("info").path("artifact_uri").asText("");
    return path.isEmpty() ? root : root.replaceAll("/+$", "") + "/" + path;
  }

  /** Copies the directory {@code relative} (under {@code root}) and everything below it into {@code target}. */
  private void copyTree(ProxiedArtifactRoot root, String relative, Path target) {
    String dir = relative.isEmpty() ? root.proxyPath() : root.proxyPath() + "/" + relative;
    JsonNode listing = http.getJson(ProxiedArtifactRoot.PROXY_API + "?path=" + MlflowHttp.encode(dir));
    for (JsonNode file : listing.path("files")) {
      String child = (relative.isEmpty() ? "" : relative + "/") + file.path("path").asText();
      Path local = target.resolve(child).normalize();
      if (!local.startsWith(target.normalize())) {
        throw new IllegalStateException("artifact path escapes the model directory: " + child);
      }
      if (file.path("is_dir").asBoolean()) {
        copyTree(root, child, target);
      } else {
        http.download(root.url(child), local);
      }
    }
  }

  /** Points {@code alias} at {@code version} (moving it if it pointed elsewhere). */
  public void setAlias(String name, String alias, int version) {
    ObjectNode body = MlflowHttp.JSON.createObjectNode()
        .put("name", name).put("alias", alias).put("version", Integer.toString(version));
    try {
      http.postJson(API + "registered-models/alias", body);
    } catch (MlflowRequestException e) {
      throw notFound(e, name, () -> "cannot set alias '" + alias + "' of '" + name + "' to version "
          + version + " at " + trackingUri() + ": " + e.getMessage());
    }
  }

  /**
   * Removes {@code alias}; fails naming the alias when it does not exist (MLflow itself silently
   * accepts deleting a missing alias, which would hide a typo).
   */
  public void deleteAlias(String name, String alias) {
    if (!aliases(name).containsKey(alias)) {
      throw new ModelNotFoundException("registered model '" + name + "' has no alias '" + alias + "' at "
          + trackingUri() + describeAliases(name), null);
    }
    ObjectNode body = MlflowHttp.JSON.createObjectNode().put("name", name).put("alias", alias);
    try {
      http.deleteJson(API + "registered-models/alias", body);
    } catch (MlflowRequestException e) {
      throw notFound(e, name, () -> "registered model '" + name + "' has no alias '" + alias + "' at "
          + trackingUri());
    }
  }

  /** Sets a tag on one version. */
  public void setVersionTag(String name, int version, String key, String value) {
    ObjectNode body = MlflowHttp.JSON.createObjectNode()
        .put("name", name).put("version", Integer.toString(version))
        .put("key", MlflowNames.key(key)).put("value", MlflowNames.tagValue(value));
    try {
      http.postJson(API + "model-versions/set-tag", body);
    } catch (MlflowRequestException e) {
      throw notFound(e, name, () -> "registered model '" + name + "' has no version " + version
          + " at " + trackingUri());
    }
  }

  private String describeAliases(String name) {
    Map<String, Integer> aliases = aliases(name);
    return aliases.isEmpty() ? " (it has no aliases)" : " (its aliases: " + aliases + ")";
  }

  /**
   * Turns a 404 into a {@link ModelNotFoundException}: "the model does not exist" when that is the
   * cause, else {@code detail}. Other errors pass through.
   */
  private RuntimeException notFound(
      MlflowRequestException e, String name, java.util.function.Supplier<String> detail) {
    if (!NOT_FOUND.equals(e.errorCode())) {
      return e;
    }
    if (!registeredModelExists(name)) {
      return missingModel(name, e);
    }
    return new ModelNotFoundException(detail.get(), e);
  }

  private ModelNotFoundException missingModel(String name, Throwable cause) {
    return new ModelNotFoundException(
        "registered model '" + name + "' does not exist at " + trackingUri()
            + " (register a version first: `nowcast train` with tracking on)", cause);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("registered model name must not be blank");
    }
  }

  private static ModelVersion parse(JsonNode v) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : v.path("tags")) {
      tags.put(tag.path("key").asText(), tag.path("value").asText());
    }
    List<String> aliases = new ArrayList<>();
    v.path("aliases").forEach(alias -> aliases.add(alias.asText()));
    return new ModelVersion(
        v.path("name").asText(),
        Integer.parseInt(v.path("version").asText("0")),
        v.path("source").asText(),
        v.path("run_id").asText(""),
        v.path("status").asText(""),
        tags,
        List.copyOf(aliases));
  }
}
