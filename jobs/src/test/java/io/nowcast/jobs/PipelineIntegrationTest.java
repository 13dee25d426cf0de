package io.nowcast.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a small synthetic set against a real MLflow server, then the run read back
 * over MLflow's REST API: params, metrics, tags, nested model runs and the model artifact.
 */
@ExtendWith(MlflowServerExtension.class)
class PipelineIntegrationTest {
  @TempDir Path dir;

  @Test
  void runsEndToEndAndRecordsTheRunInMlflow(@MlflowUri String trackingUri) {
    SparkSession spark = SparkTestSession.get();
    NowcastConfig config = ConfigLoader.load("test", dir, null, Map.of(),
        Map.of("data_root", dir.resolve("data").toString(), "synthetic.regions", 2,
            "synthetic.days", 35, "evaluate.test_days", 5, "xgboost.num_round", 150,
            "mlflow.experiment", "it-pipeline", "mlflow.tracking_uri", trackingUri));

    PipelineJob.Result result;
    try (RunTracker run = RunTrackers.open(trackingUri, config.experiment(), "it", Map.of())) {
      result = PipelineJob.run(spark, config, run, Path.of(".."), null);
    }

    // XGBoost beats persistence at every horizon, clearly at 60 minutes.
    List<Integer> horizons = config.features().horizons();
    for (int horizon : horizons) {
      HorizonMetrics xgb = metric(result, EvaluateJob.XGBOOST, horizon);
      HorizonMetrics persistence = metric(result, Baselines.PERSISTENCE, horizon);
      assertEquals(persistence.count(), xgb.count(), "models must be scored on the same rows");
      assertTrue(xgb.mae() < persistence.mae(), "h" + horizon + ": " + xgb + " vs " + persistence);
    }
    assertTrue(metric(result, EvaluateJob.XGBOOST, 60).skill() > 0.3);

    MlflowRestClient rest = new MlflowRestClient(trackingUri);
    MlflowRestClient.RunData parent = rest.getRun(result.runId());
    assertEquals("FINISHED", parent.status());
    assertEquals("synthetic", parent.params().get("source"));
    assertEquals("150", parent.params().get("xgboost.num_round"));
    assertEquals("hist", parent.params().get("xgboost.params.tree_method"));
    assertEquals(result.dataFingerprint(), parent.tags().get("data_fingerprint"));
    assertTrue(parent.tags().containsKey("git_commit"));
    assertEquals(metric(result, EvaluateJob.XGBOOST, 60).mae(), parent.metrics().get("mae_h60"), 1e-9);
    for (int horizon : horizons) {
      assertTrue(parent.metrics().containsKey("skill_h" + horizon), "skill_h" + horizon);
    }

    String xgbRun = result.modelRunIds().get(EvaluateJob.XGBOOST);
    MlflowRestClient.RunData child = rest.getRun(xgbRun);
    assertEquals(result.runId(), child.tags().get("mlflow.parentRunId"));
    assertEquals(metric(result, EvaluateJob.XGBOOST, 15).rmse(), child.metrics().get("rmse_h15"), 1e-9);
    Set<String> modelFiles = rest.listArtifacts(xgbRun, "model").stream()
        .map(MlflowRestClient.ArtifactFile::path).collect(Collectors.toSet());
    // The model bundle of docs/contracts/model-bundle.md.
    assertTrue(modelFiles.contains("model/nowcast-bundle.json"), modelFiles.toString());
    assertTrue(modelFiles.contains("model/model.ubj"), modelFiles.toString());
    String bundle = new String(rest.downloadArtifact(xgbRun, "model/nowcast-bundle.json"));
    assertTrue(bundle.contains("\"x_rel_lag_5m\"") && bundle.contains("\"horizon_min\""), bundle);
    // Quantile metrics of the XGBoost P10/P50/P90 boosters, logged beside the point metrics.
    for (int horizon : horizons) {
      HorizonMetrics xgb = metric(result, EvaluateJob.XGBOOST, horizon);
      assertEquals(xgb.coverage(), child.metrics().get("coverage_h" + horizon), 1e-9);
      assertEquals(xgb.pinball(), child.metrics().get("pinball_h" + horizon), 1e-9);
      assertTrue(xgb.coverage() > 0.5 && xgb.coverage() < 0.98, "P10-P90 coverage h" + horizon + ": " + xgb);
      assertTrue(parent.metrics().containsKey("smape_h" + horizon), "smape_h" + horizon);
    }
    assertTrue(result.modelRunIds().keySet().containsAll(List.of(Baselines.PERSISTENCE, EvaluateJob.XGBOOST)));

    // Plots and the HTML report on the parent run.
    Set<String> plots = rest.listArtifacts(result.runId(), "plots").stream()
        .map(MlflowRestClient.ArtifactFile::path).collect(Collectors.toSet());
    for (String file : List.of("report.html", "forecast_vs_actual.png", "error_by_horizon.png",
        "error_by_hour_of_day.png", "residual_histogram.png", "feature_importance.png")) {
      assertTrue(plots.contains("plots/" + file), file + " in " + plots);
    }
    String html = new String(rest.downloadArtifact(result.runId(), "plots/report.html"));
    assertTrue(html.contains("data:image/png;base64,") && html.contains(result.runId()), "self-contained report");

    // The XGBoost bundle registered as a new version with alias staging, from the XGBoost run.
    ModelRegistryClient.ModelVersion staged =
        new ModelRegistryClient(trackingUri).getByAlias("power-nowcast-xgb", "staging");
    assertEquals(xgbRun, staged.runId());
    assertEquals(result.dataFingerprint(), staged.tags().get("data_fingerprint"));
    assertEquals(metric(result, EvaluateJob.XGBOOST, 60).mae(), Double.parseDouble(staged.tags().get("mae_h60")),
        1e-9);

    // nowcast predict: one row per region and horizon at each region's latest issue time with a load.
    PredictJob.Result predicted = PredictJob.run(spark, config, String.valueOf(staged.version()));
    List<Row> predictions = spark.read().parquet(predicted.path()).collectAsList();
    Map<String, java.sql.Timestamp> latest = new java.util.HashMap<>();
    for (Row r : TrainJob.readFeatures(spark, config).where(FeatureTable.LOAD_NOW + " IS NOT NULL")
        .groupBy("region").agg(org.apache.spark.sql.functions.max("issue_ts")).collectAsList()) {
      latest.put(r.getString(0), r.getTimestamp(1));
    }
    assertEquals(latest.size() * horizons.size(), predictions.size(), predictions.toString());
    for (Row p : predictions) {
      String region = p.getAs(PredictJob.REGION);
      java.sql.Timestamp issue = p.getAs(PredictJob.ISSUE_TS);
      int horizon = p.getAs(PredictJob.HORIZON_MIN);
      assertEquals(latest.get(region), issue, region);
      assertEquals(issue.getTime() + horizon * 60_000L, ((java.sql.Timestamp) p.getAs(PredictJob.TARGET_TS)).getTime());
      double p10 = p.getAs(PredictJob.P10);
      double p50 = p.getAs(PredictJob.P50);
      double p90 = p.getAs(PredictJob.P90);
      assertTrue(p10 <= p50 && p50 <= p90 && p10 < p90, "quantiles of " + p);
      assertTrue(p50 > 0, p.toString());
      assertEquals(String.valueOf(staged.version()), p.getAs(PredictJob.MODEL_VERSION));
    }
  }

  private static HorizonMetrics metric(PipelineJob.Result result, String model, int horizon) {
    return result.metrics().stream()
        .filter(m -> m.model().equals(model) && m.horizon() == horizon)
        .findFirst().orElseThrow(() -> new AssertionError("no metrics for " + model + " h" + horizon));
  }
}
