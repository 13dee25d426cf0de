package io.nowcast.models.eval;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelContext;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.baseline.IsoForecastModel;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling-origin backtest: for each fold of a {@link BacktestPlan}, every model is trained on the
 * expanding window before the fold (minus the gap) and forecasts the fold's test rows; all models are
 * scored on the same rows ({@link ForecastEvaluator}), per fold and pooled over all folds. Only the
 * fold's forecast columns are cached; metrics come back as small tables.
 */
public final class Backtest {
  private static final Logger LOG = LoggerFactory.getLogger(Backtest.class);

  private final ModelTypes types;
  private final ModelContext context;
  private final List<String> models;

  /** @param models the model type names to run, in report order (persistence is needed for skill) */
  public Backtest(ModelTypes types, ModelContext context, List<String> models) {
    models.forEach(types::get);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("backtest.models must name at least one model");
    }
    this.types = types;
    this.context = context;
    this.models = List.copyOf(models);
  }

  /** Time and size of one fold. */
  public record FoldResult(BacktestPlan.Fold fold, long testRows, Map<String, Double> trainSeconds,
      double scoreSeconds, List<HorizonMetrics> metrics) {}

  /** Per-fold results and the metrics pooled over all folds. */
  public record Result(List<FoldResult> folds, EvaluationReport pooled, double seconds) {}

  public Result run(Dataset<Row> features, BacktestPlan plan) {
    long started = System.nanoTime();
    List<Integer> horizons = context.inputs().spec().horizons();
    List<FoldResult> folds = new ArrayList<>();
    List<Dataset<Row>> scoredFolds = new ArrayList<>();
    List<ScoredModel> scoredModels = null;
    try {
      for (BacktestPlan.Fold fold : plan.foldList()) {
        Dataset<Row> train = features.where(col(FeatureTable.ISSUE_TS).lt(Timestamp.from(fold.trainEnd())));
        Dataset<Row> test = features.where(col(FeatureTable.ISSUE_TS).geq(Timestamp.from(fold.testStart()))
            .and(col(FeatureTable.ISSUE_TS).lt(Timestamp.from(fold.testEnd()))));
        Map<String, Double> trainSeconds = new LinkedHashMap<>();
        List<ForecastModel> trained = new ArrayList<>();
        for (String name : models) {
          long t = System.nanoTime();
          trained.add(types.get(name).trainer().train(context, train));
          trainSeconds.put(name, seconds(t));
        }
        scoredModels = trained.stream()
            .map(m -> ScoredModel.of(m, m instanceof IsoForecastModel)).toList();
        long t = System.nanoTime();
        Dataset<Row> scored = test;
        for (ForecastModel model : trained) {
          scored = model.predict(scored);
        }
        scored = scored.select(keep(scored, trained, horizons)).cache();
        long rows = scored.count();
        if (rows == 0) {
          throw new IllegalArgumentException("backtest fold " + fold.index() + " (" + fold.testStart() + " .. "
              + fold.testEnd() + ") has no test rows: check backtest.test_start/test_end against the data");
        }
        List<HorizonMetrics> metrics =
            ForecastEvaluator.report(scored, scoredModels, horizons, ForecastModel::forecastColumn).overall();
        double scoreSeconds = seconds(t);
        LOG.info("backtest fold {}/{}: test {} .. {}, {} rows, train {} s, score {} s", fold.index(),
            plan.folds(), fold.testStart(), fold.testEnd(), rows, trainSeconds, scoreSeconds);
        folds.add(new FoldResult(fold, rows, trainSeconds, scoreSeconds, metrics));
        scoredFolds.add(scored);
      }
      Dataset<Row> all = scoredFolds.stream().reduce(Dataset::unionByName).orElseThrow();
      EvaluationReport pooled = ForecastEvaluator.report(all, scoredModels, horizons, ForecastModel::forecastColumn);
      return new Result(folds, pooled, seconds(started));
    } finally {
      scoredFolds.forEach(Dataset::unpersist);
    }
  }

  /** The columns the evaluation reads: keys, hour, targets and every forecast column. */
  private static Column[] keep(Dataset<Row> scored, List<ForecastModel> trained, List<Integer> horizons) {
    List<String> available = Arrays.asList(scored.columns());
    List<String> names = new ArrayList<>(List.of(FeatureTable.REGION, FeatureTable.ISSUE_TS));
    if (available.contains(CalendarStage.HOUR)) {
      names.add(CalendarStage.HOUR);
    }
    names.addAll(FeatureTable.targets(horizons));
    for (ForecastModel model : trained) {
      for (int h : horizons) {
        names.add(ForecastModel.forecastColumn(model.name(), h));
        for (double q : model.quantiles()) {
          names.add(ForecastModel.quantileColumn(model.name(), h, q));
        }
      }
    }
    return names.stream().distinct().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }
}
