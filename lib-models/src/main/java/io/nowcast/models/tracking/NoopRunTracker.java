package io.nowcast.models.tracking;

import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracking is off: records nothing. Says so once, when created, so a run without MLflow is a visible
 * choice rather than a silent loss; its child runs stay quiet.
 */
public final class NoopRunTracker implements RunTracker {
  /** The run id reported when nothing is tracked. */
  public static final String UNTRACKED = "untracked";

  private static final Logger LOG = LoggerFactory.getLogger(NoopRunTracker.class);

  private final String reason;

  /** Creates the tracker and logs "MLflow tracking is off: {@code reason}". */
  public NoopRunTracker(String reason) {
    this(reason, true);
  }

  private NoopRunTracker(String reason, boolean announce) {
    this.reason = reason;
    if (announce) {
      LOG.info("MLflow tracking is off: {}", reason);
    }
  }

  /** Why tracking is off. */
  public String reason() {
    return reason;
  }

  @Override
  public String runId() {
    return UNTRACKED;
  }

  @Override
  public boolean isTracking() {
    return false;
  }

  @Override
  public String uiUrl() {
    return "";
  }

  @Override
  public void logParams(Map<String, String> params) {}

  @Override
  public void logMetrics(Map<String, Double> metrics, long step) {}

  @Override
  public void setTags(Map<String, String> tags) {}

  @Override
  public void logArtifact(Path localFile, String artifactDir) {}

  @Override
  public void logArtifacts(Path localDir, String artifactDir) {}

  @Override
  public RunTracker startChild(String runName) {
    return new NoopRunTracker(reason, false);
  }

  @Override
  public void finish(boolean success) {}

  @Override
  public void close() {}
}
