package io.nowcast.jobs;

import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelContext;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.eval.EvaluationReport;
import io.nowcast.models.eval.ForecastEvaluator;
import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.eval.ScoredModel;
import io.nowcast.models.eval.TimeSplit;
import io.nowcast.models.xgb.XgbNowcastModel;
import io.nowcast.models.report.EvaluationRows;
import io.nowcast.models.report.ReportWriter;
import io.nowcast.models.report.RunMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Scores the saved XGBoost model and the naive baselines (all as {@link ForecastModel}s) on the test part of the split. */
public final class EvaluateJob {
  /**
   * XGBoost's gain per input of the P50 booster (first horizon), keyed by input name; empty for other
   * model types. The native booster is reloaded from its UBJ bytes because only the Java booster
   * exposes {@code getScore} as a Java map.
   */
  static Map<String, Double> importance(ForecastModel model) {
    if (!(model instanceof XgbNowcastModel xgb)) {
      return Map.of();
    }
    try {
      Booster booster = XGBoost.loadModel(
          xgb.booster(xgb.horizons().get(0), 0.5).nativeBooster().toByteArray("ubj"));
      Map<String, Double> byIndex = booster.getScore("", "gain");
      booster.dispose();
      Map<String, Double> byName = new LinkedHashMap<>();
      List<String> features = xgb.features();
      byIndex.forEach((name, gain) -> {
        // Without feature names XGBoost calls input i "f<i>".
        int index = name.startsWith("f") ? parseIndex(name.substring(1)) : -1;
        byName.put(index >= 0 && index < features.size() ? features.get(index) : name, gain);
      });
      return byName;
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot read XGBoost feature importance: " + e.getMessage(), e);
    }
  }

  private static int parseIndex(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Model name of the XGBoost forecasts in metrics. */
  public static final String XGBOOST = XgbNowcastModel.NAME;

  private EvaluateJob() {}

  /** Metrics per model and horizon on the test period (overall, and per region and hour in the report). */
  public record Result(TimeSplit split, List<HorizonMetrics> metrics, EvaluationReport report, double seconds) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    String modelPath = new DataPaths(config.dataRoot()).xgbModel(config.source());
    ForecastModel model;
    try {
      model = ModelTypes.standard().get(XGBOOST).loader().load(ModelContexts.of(spark, config), modelPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + modelPath + ": " + e.getMessage(), e);
    }
    return run(spark, config, model);
  }

  /** Evaluates {@code model} (already in memory, as within `nowcast run`) beside the baselines. */
  public static Result run(SparkSession spark, NowcastConfig config, ForecastModel model) {
    return run(spark, config, model, null, null);
  }

  /**
   * As {@link #run(SparkSession, NowcastConfig, ForecastModel)}, and also writes the plots and the HTML
   * report of the scored test rows into {@code reportDir} (a local directory to create) when it is not
   * null, while those rows are still cached.
   */
  public static Result run(SparkSession spark, NowcastConfig config, ForecastModel model, Path reportDir,
      RunMetadata meta) {
    long started = System.nanoTime();
    List<Integer> horizons = config.features().horizons();
    Dataset<Row> features = TrainJob.readFeatures(spark, config);
    TimeSplit split = TrainJob.split(features, config);
    ModelContext context = ModelContexts.of(spark, config);
    ModelTypes types = ModelTypes.standard();
    List<ForecastModel> models = new ArrayList<>(List.of(model));
    for (String baseline : Baselines.available(features, horizons)) {
      models.add(types.get(baseline).trainer().train(context, features));
    }
    Dataset<Row> scored = split.test(features);
    for (ForecastModel m : models) {
      scored = m.predict(scored);
    }
    scored = scored.cache();
    try {
      EvaluationReport report = ForecastEvaluator.report(scored,
          models.stream().map(m -> ScoredModel.of(m, false)).toList(), horizons, ForecastModel::forecastColumn);
      if (reportDir != null) {
        Dataset<Row> rows = EvaluationRows.fromWide(scored,
            models.stream().map(ForecastModel::name).toList(), horizons);
        ReportWriter.write(rows, report.overall(), importance(model), meta, reportDir);
      }
      return new Result(split, report.overall(), report, (System.nanoTime() - started) / 1e9);
    } finally {
      scored.unpersist();
    }
  }
}
