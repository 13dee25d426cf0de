package io.nowcast.models.registry;

import io.nowcast.models.tracking.MlflowXgboostFlavor;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.models.tracking.RunTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a trained model as a new version: uploads its MLflow model directory to the run's
 * {@value RegistryNames#MODEL_ARTIFACT_PATH} artifacts, creates the version with source
 * {@code runs:/<run>/mlflow-model} and tags (data fingerprint, backtest folds hash, {@code mae_h*} ...),
 * and points {@value RegistryNames#STAGING} at it. Production is never touched here: only
 * {@link Promoter} moves it.
 *
 * <pre>{@code
 * // in the training job, inside the XGBoost child run:
 * ModelVersion v = ModelRegistrar.registerXgb(trackingUri, xgbRun, booster, bundle,
 *     backtestMetrics, dataFingerprint, foldsHash);
 * }</pre>
 */
public final class ModelRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistrar.class);

  private ModelRegistrar() {}

  /**
   * Writes {@code booster} with {@code bundle} in MLflow's xgboost flavor, uploads it to {@code run} and
   * registers it as a new version of {@value RegistryNames#XGB_MODEL} with alias staging.
   *
   * @param backtestMetrics metrics of the backtest per horizon, at least {@code mae_h<h>} for each
   *     horizon (also {@code rmse_h15}, {@code skill_h60} ... when present); all become version tags
   * @param foldsHash identifies the backtest folds the metrics were computed on; the gate compares
   *     versions only when it is equal
   */
  public static ModelVersion registerXgb(String trackingUri, RunTracker run, Booster booster, NowcastBundle bundle,
      Map<String, Double> backtestMetrics, String dataFingerprint, String foldsHash) {
    return registerXgb(trackingUri, RegistryNames.XGB_MODEL, run, booster, bundle, backtestMetrics,
        dataFingerprint, foldsHash);
  }

  /** As {@link #registerXgb(String, RunTracker, Booster, NowcastBundle, Map, String, String)} under another name. */
  public static ModelVersion registerXgb(String trackingUri, String modelName, RunTracker run, Booster booster,
      NowcastBundle bundle, Map<String, Double> backtestMetrics, String dataFingerprint, String foldsHash) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("nowcast-mlflow-model-");
      Path model = dir.resolve(RegistryNames.MODEL_ARTIFACT_PATH);
      MlflowXgboostFlavor.write(model, booster, bundle);
      return register(trackingUri, modelName, run, model, backtestMetrics, dataFingerprint, foldsHash);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the MLflow model", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Registers the bundle directory training wrote (docs/contracts/model-bundle.md: {@code model.ubj},
   * {@code nowcast-bundle.json}, optional further boosters) as a new version of
   * {@value RegistryNames#XGB_MODEL}: a directory that already holds an {@code MLmodel} is uploaded as it
   * is, otherwise the MLflow flavor files are written around it first.
   */
  public static ModelVersion registerXgb(String trackingUri, RunTracker run, Path bundleDir,
      Map<String, Double> backtestMetrics, String dataFingerprint, String foldsHash) {
    return registerXgb(trackingUri, RegistryNames.XGB_MODEL, run, bundleDir, backtestMetrics, dataFingerprint,
        foldsHash);
  }

  /** As {@link #registerXgb(String, RunTracker, Path, Map, String, String)} under another name. */
  public static ModelVersion registerXgb(String trackingUri, String modelName, RunTracker run, Path bundleDir,
      Map<String, Double> backtestMetrics, String dataFingerprint, String foldsHash) {
    if (Files.isRegularFile(bundleDir.resolve(MlflowXgboostFlavor.MLMODEL))) {
      return register(trackingUri, modelName, run, bundleDir, backtestMetrics, dataFingerprint, foldsHash);
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("nowcast-mlflow-model-");
      Path model = dir.resolve(RegistryNames.MODEL_ARTIFACT_PATH);
      MlflowXgboostFlavor.writeFromBundle(bundleDir, model);
      return register(trackingUri, modelName, run, model, backtestMetrics, dataFingerprint, foldsHash);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the MLflow model", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Uploads an MLflow model directory already written (by {@link MlflowXgboostFlavor}, or another
   * flavor for the LSTM) to {@code run} and registers it as a new version of {@code modelName} with
   * alias staging.
   *
   * @return the new version (with its tags and aliases as the server reports them)
   * @throws IllegalStateException when {@code run} does not record to a tracking server
   */
  public static ModelVersion register(String trackingUri, String modelName, RunTracker run, Path mlflowModelDir,
      Map<String, Double> backtestMetrics, String dataFingerprint, String foldsHash) {
    if (!run.isTracking()) {
      throw new IllegalStateException(
          "cannot register " + modelName + ": the run is not tracked (set MLFLOW_TRACKING_URI)");
    }
    if (!Files.isRegularFile(mlflowModelDir.resolve(MlflowXgboostFlavor.MLMODEL))) {
      throw new IllegalArgumentException("not an MLflow model directory (no MLmodel): " + mlflowModelDir);
    }
    if (RegistryNames.gateMetrics(backtestMetrics).isEmpty()) {
      throw new IllegalArgumentException("backtest metrics of " + modelName + " must include "
          + RegistryNames.GATE_METRIC + "_h<horizon> for the promotion gate, got " + backtestMetrics.keySet());
    }
    long started = System.nanoTime();
    run.logArtifacts(mlflowModelDir, RegistryNames.MODEL_ARTIFACT_PATH);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(RegistryNames.TAG_DATA_FINGERPRINT, nullToEmpty(dataFingerprint));
    tags.put(RegistryNames.TAG_FOLDS_HASH, nullToEmpty(foldsHash));
    backtestMetrics.forEach((key, value) -> tags.put(key, Double.toString(value)));
    ModelRegistryClient registry = new ModelRegistryClient(trackingUri);
    String source = "runs:/" + run.runId() + "/" + RegistryNames.MODEL_ARTIFACT_PATH;
    ModelVersion version = registry.createVersion(modelName, source, run.runId(), tags);
    registry.setAlias(modelName, RegistryNames.STAGING, version.version());
    run.setTags(Map.of("registered_model", modelName, "registered_version", Integer.toString(version.version())));
    LOG.info("registered {} version {} from run {} (alias {}) in {} ms", modelName, version.version(),
        run.runId(), RegistryNames.STAGING, (System.nanoTime() - started) / 1_000_000);
    return registry.getVersion(modelName, version.version());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
