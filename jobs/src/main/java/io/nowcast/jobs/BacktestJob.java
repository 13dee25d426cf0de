package io.nowcast.jobs;

import io.nowcast.features.FeatureTable;
import io.nowcast.jobs.config.BacktestSettings;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.eval.Backtest;
import io.nowcast.models.eval.BacktestPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Runs the rolling-origin backtest of the configured models on the features table. */
public final class BacktestJob {
  private BacktestJob() {}

  public static Backtest.Result run(SparkSession spark, NowcastConfig config) {
    Dataset<Row> features = TrainJob.readFeatures(spark, config);
    return run(spark, config, features);
  }

  /** The backtest of {@code features} (already read or built). */
  public static Backtest.Result run(SparkSession spark, NowcastConfig config, Dataset<Row> features) {
    BacktestPlan plan = plan(features, config);
    return new Backtest(ModelTypes.standard(), ModelContexts.of(spark, config), config.backtest().models())
        .run(features, plan);
  }

  /**
   * The folds of the config: over {@code [test_start, test_end)} when set, else the last {@code folds ×
   * fold_days} days of the data.
   */
  public static BacktestPlan plan(Dataset<Row> features, NowcastConfig config) {
    BacktestSettings b = config.backtest();
    Instant start;
    Instant end;
    if (b.testStart() != null) {
      start = b.testStart().atStartOfDay(ZoneOffset.UTC).toInstant();
      end = b.testEnd().atStartOfDay(ZoneOffset.UTC).toInstant();
    } else {
      Row bounds = features.agg(functions.max(FeatureTable.ISSUE_TS)).first();
      if (bounds.isNullAt(0)) {
        throw new IllegalArgumentException("the features table is empty: nothing to backtest");
      }
      end = bounds.getTimestamp(0).toInstant().plus(Duration.ofMinutes(config.features().stepMinutes()));
      start = end.minus(Duration.ofDays((long) b.folds() * b.foldDays()));
    }
    return BacktestPlan.of(b.folds(), start, end, b.gapMinutes(), config.features().maxHorizon());
  }
}
