package io.nowcast.jobs;

import io.nowcast.models.ModelInputs;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.eval.ForecastEvaluator;
import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.eval.TimeSplit;
import io.nowcast.models.xgb.XgbNowcastModel;
import io.nowcast.jobs.config.NowcastConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Scores the saved XGBoost models and the naive baselines on the test part of the time split. */
public final class EvaluateJob {
  /** Model name of the XGBoost forecasts in metrics. */
  public static final String XGBOOST = "xgboost";

  private EvaluateJob() {}

  /** Metrics per model and horizon on the test period. */
  public record Result(TimeSplit split, List<HorizonMetrics> metrics, double seconds) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    List<Integer> horizons = config.features().horizons();
    XgbNowcastModel model;
    String modelPath = new DataPaths(config.dataRoot()).xgbModel(config.source());
    try {
      model = XgbNowcastModel.load(spark, modelPath, horizons);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + modelPath + ": " + e.getMessage(), e);
    }
    return run(spark, config, model);
  }

  /** Evaluates {@code model} (already in memory, as within `nowcast run`). */
  public static Result run(SparkSession spark, NowcastConfig config, XgbNowcastModel model) {
    long started = System.nanoTime();
    List<Integer> horizons = config.features().horizons();
    Dataset<Row> features = TrainJob.readFeatures(spark, config);
    TimeSplit split = TrainJob.split(features, config);
    Dataset<Row> test = new ModelInputs(config.features()).prepare(split.test(features));
    Dataset<Row> scored = Baselines.add(model.predict(test), horizons).cache();
    try {
      List<String> models = new ArrayList<>(List.of(XGBOOST));
      models.addAll(Baselines.available(features, horizons));
      List<HorizonMetrics> metrics = ForecastEvaluator.evaluate(scored, models, horizons,
          (name, horizon) -> name.equals(XGBOOST)
              ? XgbNowcastModel.forecastColumn(horizon)
              : Baselines.forecastColumn(name, horizon));
      return new Result(split, metrics, (System.nanoTime() - started) / 1e9);
    } finally {
      scored.unpersist();
    }
  }
}
