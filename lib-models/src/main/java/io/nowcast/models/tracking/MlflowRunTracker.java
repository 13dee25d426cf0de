package io.nowcast.models.tracking;

import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MLflow run on a tracking server. Runs, params, metrics and tags go through the MLflow Java client;
 * artifacts go over plain HTTP to the server's artifact proxy, because the Java client uploads by
 * shelling out to Python. A child run shares its parent's client; closing the parent closes it.
 *
 * <p>Safe to use from several threads (e.g. models trained in parallel logging to their child runs).
 */
public final class MlflowRunTracker implements RunTracker {
  /** MLflow's own name for the default experiment of this project (DESIGN.md section 8). */
  public static final String DEFAULT_EXPERIMENT = "power-nowcast";

  private static final Logger LOG = LoggerFactory.getLogger(MlflowRunTracker.class);
  // Server-side batch limits of log-batch (mlflow/utils/validation.py).
  private static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;
  private static final int MAX_METRICS_PER_BATCH = 1000;

  private final Session session;
  private final boolean ownsSession;
  private final String experimentId;
  private final String runId;
  private final ArtifactUploader artifacts;
  private final List<MlflowRunTracker> children = new CopyOnWriteArrayList<>();
  private final AtomicBoolean finished = new AtomicBoolean();

  /** The connection shared by a run and its children. */
  private record Session(TrackingEndpoint endpoint, MlflowClient client, MlflowHttp http) {}

  private MlflowRunTracker(
      Session session, boolean ownsSession, String experimentId, String runId, ArtifactUploader artifacts) {
    this.session = session;
    this.ownsSession = ownsSession;
    this.experimentId = experimentId;
    this.runId = runId;
    this.artifacts = artifacts;
  }

  /**
   * Starts a run in {@code experimentName} (created if missing; null means {@value #DEFAULT_EXPERIMENT}).
   *
   * @param trackingUri http(s) URI of a tracking server that serves artifacts
   * @param runName the run's display name, or null to let MLflow pick one
   * @param tags tags set when the run is created (e.g. git commit, config hash)
   * @throws TrackingUnavailableException when the server does not answer
   * @throws IllegalStateException when the server does not proxy artifacts (no --serve-artifacts)
   */
  public static MlflowRunTracker start(
      String trackingUri, String experimentName, String runName, Map<String, String> tags) {
    TrackingEndpoint endpoint = TrackingEndpoint.of(trackingUri);
    Session session = new Session(endpoint, endpoint.newJavaClient(), new MlflowHttp(endpoint));
    try {
      String experiment =
          experimentName == null || experimentName.isBlank() ? DEFAULT_EXPERIMENT : experimentName;
      String experimentId = experimentId(session, experiment);
      MlflowRunTracker run = create(session, true, experimentId, runName, tags, Optional.empty());
      LOG.info("MLflow run {}: {}", run.runId, run.uiUrl());
      return run;
    } catch (RuntimeException e) {
      session.client().close();
      throw e;
    }
  }

  private static MlflowRunTracker create(
      Session session,
      boolean ownsSession,
      String experimentId,
      String runName,
      Map<String, String> tags,
      Optional<String> parentRunId) {
    String user = System.getProperty("user.name", "");
    CreateRun.Builder request =
        CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setStartTime(System.currentTimeMillis())
            .setUserId(user);
    if (runName != null && !runName.isBlank()) {
      request.setRunName(runName);
    }
    // One map, so a caller's tag replaces ours instead of sending a duplicate key.
    Map<String, String> allTags = new LinkedHashMap<>();
    allTags.put("mlflow.user", user);
    parentRunId.ifPresent(parent -> allTags.put("mlflow.parentRunId", parent));
    allTags.putAll(MlflowNames.sanitiseKeys(tags == null ? Map.of() : tags));
    allTags.forEach((key, value) -> request.addTags(tag(key, MlflowNames.tagValue(value))));
    RunInfo info = call(session, "POST", "runs/create", () -> session.client().createRun(request.build()));
    ProxiedArtifactRoot root;
    try {
      root = ProxiedArtifactRoot.of(info.getArtifactUri(), info.getRunId(), session.endpoint().uri());
    } catch (IllegalStateException e) {
      // The run exists now; do not leave it RUNNING forever.
      call(session, "POST", "runs/update", () -> {
        session.client().setTerminated(info.getRunId(), RunStatus.FAILED, System.currentTimeMillis());
        return null;
      });
      throw e;
    }
    return new MlflowRunTracker(
        session, ownsSession, experimentId, info.getRunId(), new ArtifactUploader(session.http(), root));
  }

  /** Gets the experiment's id, creating it when missing; copes with another process creating it first. */
  private static String experimentId(Session session, String name) {
    Optional<Experiment> found = findExperiment(session, name);
    if (found.isEmpty()) {
      try {
        return call(session, "POST", "experiments/create", () -> session.client().createExperiment(name));
      } catch (MlflowRequestException e) {
        if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
          throw e;
        }
        found = findExperiment(session, name);
      }
    }
    Experiment experiment =
        found.orElseThrow(() -> new IllegalStateException("MLflow experiment '" + name + "' vanished"));
    if ("deleted".equals(experiment.getLifecycleStage())) {
      // A deleted experiment keeps its name reserved; runs cannot be created in it.
      throw new IllegalStateException(
          "MLflow experiment '" + name + "' (id " + experiment.getExperimentId() + ") is deleted at "
              + session.endpoint().uri() + ": restore it or choose another experiment name");
    }
    return experiment.getExperimentId();
  }

  private static Optional<Experiment> findExperiment(Session session, String name) {
    // The Java client sends this up to 3 times when the experiment is missing: it retries every 4xx.
    return call(session, "GET", "experiments/get-by-name", () -> session.client().getExperimentByName(name));
  }

  /** The id of the run's experiment. */
  public String experimentId() {
    return experimentId;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public boolean isTracking() {
    return true;
  }

  @Override
  public String uiUrl() {
    return session.endpoint().runUiUrl(experimentId, runId);
  }

  @Override
  public void logParams(Map<String, String> params) {
    List<Param> all = new ArrayList<>();
    MlflowNames.sanitiseKeys(params)
        .forEach((key, value) ->
            all.add(Param.newBuilder().setKey(key).setValue(MlflowNames.paramValue(value)).build()));
    for (List<Param> batch : chunks(all, MAX_PARAMS_OR_TAGS_PER_BATCH)) {
      logBatch(List.of(), batch, List.of());
    }
  }

  @Override
  public void logMetrics(Map<String, Double> metrics, long step) {
    long now = System.currentTimeMillis();
    List<Metric> all = new ArrayList<>();
    MlflowNames.sanitiseKeys(metrics)
        .forEach((key, value) -> {
          if (value == null) {
            throw new IllegalArgumentException("metric '" + key + "' has no value");
          }
          all.add(Metric.newBuilder().setKey(key).setValue(value).setTimestamp(now).setStep(step).build());
        });
    for (List<Metric> batch : chunks(all, MAX_METRICS_PER_BATCH)) {
      logBatch(batch, List.of(), List.of());
    }
  }

  @Override
  public void setTags(Map<String, String> tags) {
    List<RunTag> all = new ArrayList<>();
    MlflowNames.sanitiseKeys(tags).forEach((key, value) -> all.add(tag(key, MlflowNames.tagValue(value))));
    for (List<RunTag> batch : chunks(all, MAX_PARAMS_OR_TAGS_PER_BATCH)) {
      logBatch(List.of(), List.of(), batch);
    }
  }

  @Override
  public void logArtifact(Path localFile, String artifactDir) {
    artifacts.uploadFile(localFile, artifactDir);
  }

  @Override
  public void logArtifacts(Path localDir, String artifactDir) {
    artifacts.uploadDirectory(localDir, artifactDir);
  }

  @Override
  public RunTracker startChild(String runName) {
    MlflowRunTracker child = create(session, false, experimentId, runName, Map.of(), Optional.of(runId));
    children.add(child);
    return child;
  }

  @Override
  public void finish(boolean success) {
    if (finished.compareAndSet(false, true)) {
      RunStatus status = success ? RunStatus.FINISHED : RunStatus.FAILED;
      call(session, "POST", "runs/update", () -> {
        session.client().setTerminated(runId, status, System.currentTimeMillis());
        return null;
      });
    }
  }

  /** Fails unfinished children and this run if unfinished, then releases the connection. */
  @Override
  public void close() {
    try {
      for (MlflowRunTracker child : children) {
        child.close();
      }
      if (!finished.get()) {
        finish(false);
      }
    } catch (RuntimeException e) {
      // close() runs in finally blocks: do not hide the original failure behind a tracking one.
      LOG.warn("could not end MLflow run {}: {}", runId, e.getMessage());
    } finally {
      if (ownsSession) {
        session.client().close();
      }
    }
  }

  private void logBatch(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    call(session, "POST", "runs/log-batch", () -> {
      session.client().logBatch(runId, metrics, params, tags);
      return null;
    });
  }

  private static RunTag tag(String key, String value) {
    return RunTag.newBuilder().setKey(key).setValue(value).build();
  }

  private static <T> List<List<T>> chunks(List<T> all, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += size) {
      chunks.add(all.subList(from, Math.min(all.size(), from + size)));
    }
    return chunks;
  }

  /**
   * Runs a Java-client call, turning its exceptions into ours: a refused connection into
   * {@link TrackingUnavailableException}, an error answer into {@link MlflowRequestException} naming the
   * REST endpoint (the client's own exceptions name neither the server nor the call).
   */
  private static <T> T call(Session session, String method, String restPath, Supplier<T> action) {
    try {
      return action.get();
    } catch (MlflowHttpException e) {
      String url = session.endpoint().url("api/2.0/mlflow/" + restPath);
      throw MlflowHttp.errorAnswer(method, url, e.getStatusCode(), e.getBodyMessage());
    } catch (MlflowClientException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException) {
          throw new TrackingUnavailableException(session.endpoint().notReachableMessage(), e);
        }
      }
      throw new TrackingUnavailableException(
          "MLflow call " + restPath + " to " + session.endpoint().uri() + " failed: " + e.getMessage(), e);
    }
  }
}
