package io.nowcast.models.tracking;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Where the tracking server is and how to authenticate to it. Credentials come from MLflow's own
 * environment variables ({@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD}) so they never pass through our config, logs or params.
 */
record TrackingEndpoint(String uri, String username, String password, String token) {

  /**
   * Validates and normalises a tracking URI. Only http(s) works: the Java client has no file store and
   * our artifact upload needs the server's artifact proxy.
   */
  static TrackingEndpoint of(String trackingUri) {
    String trimmed = trackingUri == null ? "" : trackingUri.trim();
    String scheme = "";
    try {
      scheme = Optional.ofNullable(URI.create(trimmed).getScheme()).orElse("").toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      // reported below as "not an http(s) URI"
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "MLflow tracking URI must be http(s)://host:port of a tracking server, got '" + trimmed
              + "' (the Java client has no file store; start a local server instead)");
    }
    // Trailing slashes would make ".../api" paths start with "//", which the server does not route.
    String normalised = trimmed.replaceAll("/+$", "");
    return new TrackingEndpoint(
        normalised,
        System.getenv("MLFLOW_TRACKING_USERNAME"),
        System.getenv("MLFLOW_TRACKING_PASSWORD"),
        System.getenv("MLFLOW_TRACKING_TOKEN"));
  }

  /** A Java client for the same server and credentials. */
  MlflowClient newJavaClient() {
    if (username != null && password != null) {
      return new MlflowClient(new BasicMlflowHostCreds(uri, username, password));
    }
    if (token != null) {
      return new MlflowClient(new BasicMlflowHostCreds(uri, token));
    }
    return new MlflowClient(new BasicMlflowHostCreds(uri));
  }

  /** The value of the Authorization header, if credentials are configured. */
  Optional<String> authorization() {
    if (username != null && password != null) {
      String pair = username + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.ofNullable(token).map(t -> "Bearer " + t);
  }

  /** {@code uri/relative}; {@code relative} must not start with a slash. */
  String url(String relative) {
    return uri + "/" + relative;
  }

  /** Link to a run in the MLflow UI (its routes live after the "#"). */
  String runUiUrl(String experimentId, String runId) {
    return uri + "/#/experiments/" + experimentId + "/runs/" + runId;
  }

  String notReachableMessage() {
    return "MLflow server at " + uri + " is not reachable";
  }

  /** Never print credentials. */
  @Override
  public String toString() {
    return "TrackingEndpoint[" + uri + (authorization().isPresent() ? ", with credentials]" : "]");
  }
}
