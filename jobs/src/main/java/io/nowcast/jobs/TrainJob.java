package io.nowcast.jobs;

import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.eval.TimeSplit;
import io.nowcast.models.xgb.XgbNowcastModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Trains the XGBoost model (through its {@link ModelTypes} entry) on the training part of the split and saves it. */
public final class TrainJob {
  private TrainJob() {}

  /** The trained model, where it was saved (a model bundle), the split used and how long training took. */
  public record Result(ForecastModel model, String modelPath, TimeSplit split, double seconds,
      long trainRows) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    DataPaths paths = new DataPaths(config.dataRoot());
    Dataset<Row> features = readFeatures(spark, config);
    TimeSplit split = split(features, config);
    Dataset<Row> train = split.train(features);
    long started = System.nanoTime();
    ForecastModel model = ModelTypes.standard().get(XgbNowcastModel.NAME).trainer()
        .train(ModelContexts.of(spark, config), train);
    double seconds = (System.nanoTime() - started) / 1e9;
    String out = paths.xgbModel(config.source());
    try {
      model.save(spark, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + out + ": " + e.getMessage(), e);
    }
    return new Result(model, out, split, seconds, train.count());
  }

  /** The features table of the configured source, or a clear error when it was not built yet. */
  public static Dataset<Row> readFeatures(SparkSession spark, NowcastConfig config) {
    String path = new DataPaths(config.dataRoot()).features(config.source());
    if (!DataPaths.exists(spark, path)) {
      throw new IllegalArgumentException("no features at " + path + ": run `nowcast features` first");
    }
    return spark.read().parquet(path);
  }

  /** The time split every stage of a run shares. */
  public static TimeSplit split(Dataset<Row> features, NowcastConfig config) {
    return TimeSplit.lastDays(features, config.evaluation().testDays(),
        Duration.ofMinutes(config.evaluation().gapMinutes()));
  }
}
