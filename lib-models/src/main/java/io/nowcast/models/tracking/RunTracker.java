package io.nowcast.models.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the pipeline records about one execution: an MLflow run (or nothing, when tracking is off).
 * One run per pipeline execution, a child run per model (DESIGN.md section 8).
 *
 * <p>Use with try-with-resources and call {@link #finish(boolean) finish(true)} at the end of the
 * successful path: closing a tracker that was not finished marks the run FAILED, so a run interrupted by
 * an exception never stays RUNNING.
 *
 * <pre>{@code
 * try (RunTracker run = RunTrackers.open(uri, "power-nowcast", "train", Map.of())) {
 *   run.logParams(config.asFlatMap());
 *   try (RunTracker xgb = run.startChild("xgboost")) {
 *     xgb.logMetrics(Map.of("mae_h15", 41.2));
 *     xgb.logArtifact(plot, "plots");
 *     xgb.finish(true);
 *   }
 *   run.finish(true);
 * }
 * }</pre>
 */
public interface RunTracker extends AutoCloseable {

  /** The MLflow run id, or {@code "untracked"} when tracking is off. */
  String runId();

  /** True when this tracker records to a server; callers may skip costly artifacts otherwise. */
  boolean isTracking();

  /** Link to the run in the MLflow UI ({@code <uri>/#/experiments/<exp>/runs/<run>}), or "" when off. */
  String uiUrl();

  /**
   * Logs params. Keys are sanitised to MLflow's allowed characters and values cut to MLflow's
   * 6000-character limit. MLflow params are write-once: logging a key again with a different value fails.
   */
  void logParams(Map<String, String> params);

  /** Logs metrics at step 0, in batches. */
  default void logMetrics(Map<String, Double> metrics) {
    logMetrics(metrics, 0L);
  }

  /** Logs metrics at {@code step} (an epoch, a backtest fold), in batches. */
  void logMetrics(Map<String, Double> metrics, long step);

  /** Sets tags (overwriting earlier values of the same keys). */
  void setTags(Map<String, String> tags);

  /**
   * Uploads one file to {@code artifactDir/<file name>} under the run's artifact root; a null or empty
   * {@code artifactDir} means the root.
   */
  void logArtifact(Path localFile, String artifactDir);

  /**
   * Uploads every file below {@code localDir} (recursively) to {@code artifactDir/<relative path>}: the
   * directory's contents, not the directory itself, land in {@code artifactDir} (as in MLflow's Python
   * {@code log_artifacts}).
   */
  void logArtifacts(Path localDir, String artifactDir);

  /** Starts a nested run (tag {@code mlflow.parentRunId}) in the same experiment. */
  RunTracker startChild(String runName);

  /** Ends the run as FINISHED ({@code success}) or FAILED. Later calls do nothing. */
  void finish(boolean success);

  /** Ends the run as FAILED unless {@link #finish} was called. Never throws a checked exception. */
  @Override
  void close();
}
