package io.nowcast.models.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the report says about the run it belongs to (DESIGN §8 tags).
 *
 * @param title heading of the report
 * @param runId the MLflow run id ({@code "untracked"} without tracking)
 * @param gitCommit commit of the code that ran
 * @param dataFingerprint hash of the inputs
 * @param config a summary of the resolved configuration (secrets already redacted), shown in order
 */
public record RunMetadata(
    String title, String runId, String gitCommit, String dataFingerprint, Map<String, String> config) {

  public RunMetadata {
    Objects.requireNonNull(title, "title");
    runId = Objects.requireNonNullElse(runId, "");
    gitCommit = Objects.requireNonNullElse(gitCommit, "");
    dataFingerprint = Objects.requireNonNullElse(dataFingerprint, "");
    config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
  }
}
