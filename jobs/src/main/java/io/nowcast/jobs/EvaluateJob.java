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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Scores the saved XGBoost model and the naive baselines (all as {@link ForecastModel}s) on the test part of the split. */
public final class EvaluateJob {
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
      return new Result(split, report.overall(), report, (System.nanoTime() - started) / 1e9);
    } finally {
      scored.unpersist();
    }
  }
}
