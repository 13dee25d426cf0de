package io.nowcast.models.tracking;

import java.util.StringJoiner;

/**
 * A run's artifact root as seen through the tracking server's artifact proxy. A run created on a
 * server with {@code --serve-artifacts} (the default since MLflow 2.0) has an artifact URI like
 * {@code mlflow-artifacts:/1/<run>/artifacts}; its files are then at
 * {@code <tracking uri>/api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts/<path>}.
 *
 * @param proxyPath the part after {@code mlflow-artifacts:/}, without leading or trailing slash
 */
record ProxiedArtifactRoot(String proxyPath) {
  static final String SCHEME = "mlflow-artifacts:";
  static final String PROXY_API = "api/2.0/mlflow-artifacts/artifacts";

  /** Parses a run's {@code artifact_uri}; fails with a clear message when it is not proxied. */
  static ProxiedArtifactRoot of(String artifactUri, String runId, String trackingUri) {
    if (artifactUri == null || !artifactUri.startsWith(SCHEME)) {
      throw new IllegalStateException(
          "run " + runId + " stores artifacts at '" + artifactUri + "', which the Java side cannot"
              + " write to; the MLflow server at " + trackingUri + " must run with --serve-artifacts"
              + " (and no --default-artifact-root pointing elsewhere) so artifact URIs are"
              + " mlflow-artifacts:/...");
    }
    String rest = artifactUri.substring(SCHEME.length());
    if (rest.startsWith("//")) {
      // mlflow-artifacts://host:port/path names a server; we always talk to the tracking server.
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "" : rest.substring(slash);
    }
    return new ProxiedArtifactRoot(rest.replaceAll("^/+", "").replaceAll("/+$", ""));
  }

  /** Relative URL (encoded) of the artifact at {@code relativePath} under this root. */
  String url(String relativePath) {
    String clean = cleanArtifactPath(relativePath);
    String joined = clean.isEmpty() ? proxyPath : proxyPath + "/" + clean;
    return PROXY_API + "/" + MlflowHttp.encodePath(joined);
  }

  /**
   * Normalises an artifact path given by a caller: null or "" is the root, backslashes become slashes,
   * empty and "." segments go, and ".." is refused (the server refuses it too, less clearly).
   */
  static String cleanArtifactPath(String artifactPath) {
    if (artifactPath == null || artifactPath.isBlank()) {
      return "";
    }
    StringJoiner joined = new StringJoiner("/");
    for (String segment : artifactPath.replace('\\', '/').split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            "artifact path must stay inside the run's artifact root: " + artifactPath);
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        joined.add(segment);
      }
    }
    return joined.toString();
  }
}
