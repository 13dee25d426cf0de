package io.nowcast.models.tracking;

import java.util.Map;

/** Opens the tracker for a pipeline execution: an MLflow run when a tracking URI is given, else a no-op. */
public final class RunTrackers {
  private RunTrackers() {}

  /**
   * Opens the run of one pipeline execution.
   *
   * <p>No URI means tracking is off ({@link NoopRunTracker}). A URI that is set but does not answer is an
   * error, not a silent fallback: whoever set it expects the run to be recorded, and learning that after
   * hours of training is too late.
   *
   * @param trackingUriOrNull the resolved {@code MLFLOW_TRACKING_URI}, or null/blank for no tracking
   * @param experiment experiment name; null means {@value MlflowRunTracker#DEFAULT_EXPERIMENT}
   * @param runName display name of the run (e.g. the sub-command), or null
   * @param tags tags set on the new run (git commit, Spark version, config hash ...)
   * @throws TrackingUnavailableException when the URI is set and the server is not reachable
   */
  public static RunTracker open(
      String trackingUriOrNull, String experiment, String runName, Map<String, String> tags) {
    if (trackingUriOrNull == null || trackingUriOrNull.isBlank()) {
      return new NoopRunTracker("no MLflow tracking URI configured (MLFLOW_TRACKING_URI)");
    }
    return MlflowRunTracker.start(trackingUriOrNull, experiment, runName, tags);
  }
}
