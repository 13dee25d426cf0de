package io.nowcast.jobs;

import io.nowcast.jobs.config.ConfigParams;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.eval.MetricsTable;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.eval.TimeSplit;
import io.nowcast.models.registry.ModelRegistrar;
import io.nowcast.models.report.RunMetadata;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.models.xgb.XgbNowcastModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline in one MLflow run: raw data (synthetic, or a given ingest step) → features →
 * train → evaluate. The parent run holds the resolved config, tags, stage timings and the XGBoost
 * headline metrics; one child run per model holds that model's metrics (and, for XGBoost, the model).
 */
public final class PipelineJob {
  private PipelineJob() {}

  /** Everything a caller (the CLI, the integration test) needs to report on the run. */
  public record Result(String runId, String uiUrl, boolean tracked, List<HorizonMetrics> metrics,
      Map<String, Double> stageSeconds, String modelPath, String dataFingerprint,
      Map<String, String> modelRunIds) {}

  /**
   * @param rawStep produces the raw tables and describes what it did; null means the raw tables of the
   *     configured source are already there (for synthetic data the generator runs)
   */
  public static Result run(SparkSession spark, NowcastConfig config, RunTracker run, Path home,
      Supplier<String> rawStep) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    run.logParams(ConfigParams.flatten(config));
    run.setTags(Map.of("git_commit", GitCommit.of(home), "spark_version", spark.version(),
        "config_hash", ConfigParams.hash(config), "source", config.source()));

    long t = System.nanoTime();
    if (rawStep != null) {
      log(rawStep.get());
    } else if (config.source().equals("synthetic")) {
      SynthJob.Result synth = SynthJob.run(spark, config);
      log("synthetic data: " + synth.loadRows() + " load rows, " + synth.weatherRows() + " weather rows");
    }
    seconds.put("time_raw_s", elapsed(t));

    t = System.nanoTime();
    FeaturesJob.Result features = FeaturesJob.run(spark, config);
    seconds.put("time_features_s", elapsed(t));
    run.setTags(Map.of("data_fingerprint", features.dataFingerprint()));
    FeaturesJob.logQuality(run, features, config.source());
    log("features written to " + features.path() + (features.withWeather() ? " (with weather)" : " (no weather)"));

    t = System.nanoTime();
    TrainJob.Result train = TrainJob.run(spark, config);
    seconds.put("time_train_s", elapsed(t));
    log(String.format("trained XGBoost on %d rows in %.1f s; saved the model bundle to %s", train.trainRows(), train.seconds(),
        train.modelPath()));

    t = System.nanoTime();
    Path reportDir = run.isTracking() ? tempDir("nowcast-report-").resolve("report") : null;
    RunMetadata meta = new RunMetadata("Nowcast holdout (" + config.source() + ")", run.runId(),
        GitCommit.of(home), features.dataFingerprint(), ConfigParams.flatten(config));
    EvaluateJob.Result evaluation = EvaluateJob.run(spark, config, train.model(), reportDir, meta);
    seconds.put("time_evaluate_s", elapsed(t));
    if (reportDir != null) {
      run.logArtifacts(reportDir, "plots");
    }

    run.logMetrics(seconds);
    run.logMetrics(MetricsTable.mlflowMetrics(evaluation.metrics(), EvaluateJob.XGBOOST));
    Map<String, String> modelRuns = logModelRuns(spark, config, run, evaluation, train,
        features.dataFingerprint());
    run.finish(true);
    return new Result(run.runId(), run.uiUrl(), run.isTracking(), evaluation.metrics(), seconds,
        train.modelPath(), features.dataFingerprint(), modelRuns);
  }

  /** One child run per model; returns their run ids by model name. */
  private static Map<String, String> logModelRuns(SparkSession spark, NowcastConfig config, RunTracker run,
      EvaluateJob.Result evaluation, TrainJob.Result train, String dataFingerprint) {
    List<HorizonMetrics> metrics = evaluation.metrics();
    String modelPath = train.modelPath();
    Map<String, String> runIds = new LinkedHashMap<>();
    if (!run.isTracking()) {
      return runIds;
    }
    List<String> models = metrics.stream().map(HorizonMetrics::model).distinct().toList();
    for (String model : models) {
      try (RunTracker child = run.startChild(model)) {
        child.logMetrics(MetricsTable.mlflowMetrics(metrics, model));
        if (model.equals(EvaluateJob.XGBOOST)) {
          child.logArtifacts(localCopy(spark, modelPath), "model");
          child.logArtifact(textFile("metrics.txt", MetricsTable.render(metrics)), "evaluation");
          register(config, child, train, MetricsTable.mlflowMetrics(metrics, model), evaluation.split(),
              dataFingerprint);
        }
        child.finish(true);
        runIds.put(model, child.runId());
      }
    }
    return runIds;
  }

  /**
   * Registers the XGBoost bundle as a new version of power-nowcast-xgb with alias staging (the promotion
   * gate decides about production). The folds hash names the evaluation split, so the gate only
   * compares versions scored on the same test period.
   */
  private static void register(NowcastConfig config, RunTracker child, TrainJob.Result train,
      Map<String, Double> metrics, TimeSplit split, String dataFingerprint) {
    if (config.trackingUri() == null || !(train.model() instanceof XgbNowcastModel xgb)) {
      return;
    }
    Path bundle = tempDir("nowcast-bundle-").resolve("bundle");
    try {
      xgb.writeBundle(bundle);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model bundle: " + e.getMessage(), e);
    }
    String folds = "holdout:" + split.testStart() + ":" + split.trainEnd() + ":" + config.evaluation().testDays();
    ModelVersion version = ModelRegistrar.registerXgb(config.trackingUri(), child, bundle, metrics,
        dataFingerprint, ConfigParams.sha256(folds));
    log("registered " + version.name() + " version " + version.version() + " (alias staging)");
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

  /** The model directory on the local disk (copied down first when the data root is remote). */
  private static Path localCopy(SparkSession spark, String modelPath) {
    try {
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(modelPath);
      FileSystem fs = source.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.getScheme().equals("file")) {
        return Path.of(fs.makeQualified(source).toUri());
      }
      Path target = Files.createTempDirectory("nowcast-model-");
      fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
      return target.resolve(source.getName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model at " + modelPath + ": " + e.getMessage(), e);
    }
  }

  private static Path textFile(String name, String content) {
    try {
      Path dir = Files.createTempDirectory("nowcast-report-");
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + ": " + e.getMessage(), e);
    }
  }

  private static double elapsed(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }

  private static void log(String message) {
    org.slf4j.LoggerFactory.getLogger(PipelineJob.class).info(message);
  }
}
