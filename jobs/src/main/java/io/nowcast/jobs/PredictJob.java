package io.nowcast.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.nowcast.features.FeatureTable;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.xgb.XgbNowcastModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The batch nowcast that the HTTP API serves: the saved XGBoost model's P10/P50/P90 for every region at
 * its latest issue time with a load, in the predictions table of DESIGN §4 ({@code region, issue_ts,
 * horizon_min, target_ts, model, model_version, p10, p50, p90}), replacing the previous table.
 */
public final class PredictJob {
  /** Column names of the predictions table. */
  public static final String REGION = "region";
  public static final String ISSUE_TS = "issue_ts";
  public static final String HORIZON_MIN = "horizon_min";
  public static final String TARGET_TS = "target_ts";
  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model_version";
  public static final String P10 = "p10";
  public static final String P50 = "p50";
  public static final String P90 = "p90";

  private PredictJob() {}

  /** Where the table went and how many rows (regions × horizons) it holds. */
  public record Result(String path, long rows) {}

  /**
   * @param modelVersion the label written to {@code model_version} (a registry version, or {@code local})
   */
  public static Result run(SparkSession spark, NowcastConfig config, String modelVersion) {
    DataPaths paths = new DataPaths(config.dataRoot());
    String modelPath = paths.xgbModel(config.source());
    ForecastModel model;
    try {
      model = ModelTypes.standard().get(XgbNowcastModel.NAME).loader()
          .load(ModelContexts.of(spark, config), modelPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + modelPath + ": " + e.getMessage(), e);
    }
    Dataset<Row> latest = latestRows(TrainJob.readFeatures(spark, config));
    Dataset<Row> scored = model.predict(latest);
    Dataset<Row> table = null;
    for (int horizon : model.horizons()) {
      Dataset<Row> rows = scored.select(longFormat(model, horizon, modelVersion));
      table = table == null ? rows : table.unionByName(rows);
    }
    String out = paths.predictions(config.source());
    table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(out);
    return new Result(out, spark.read().parquet(out).count());
  }

  /**
   * The feature rows at each region's latest issue time with a load (a small join: one timestamp per
   * region).
   */
  static Dataset<Row> latestRows(Dataset<Row> features) {
    Dataset<Row> withLoad = features.where(col(FeatureTable.LOAD_NOW).isNotNull());
    Dataset<Row> latest = withLoad.groupBy(FeatureTable.REGION)
        .agg(max(FeatureTable.ISSUE_TS).as("_latest"));
    return withLoad.join(latest, FeatureTable.REGION)
        .where(col(FeatureTable.ISSUE_TS).equalTo(col("_latest")))
        .drop("_latest");
  }

  private static Column[] longFormat(ForecastModel model, int horizon, String modelVersion) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(FeatureTable.REGION).as(REGION));
    columns.add(col(FeatureTable.ISSUE_TS).as(ISSUE_TS));
    columns.add(lit(horizon).as(HORIZON_MIN));
    columns.add(col(FeatureTable.ISSUE_TS).plus(expr("INTERVAL " + horizon + " MINUTES")).as(TARGET_TS));
    columns.add(lit(model.name()).as(MODEL));
    columns.add(lit(modelVersion).as(MODEL_VERSION));
    String p50 = ForecastModel.forecastColumn(model.name(), horizon);
    boolean quantiles = model.quantiles().contains(0.1) && model.quantiles().contains(0.9);
    columns.add((quantiles ? col(ForecastModel.quantileColumn(model.name(), horizon, 0.1)) : col(p50)).as(P10));
    columns.add(col(p50).as(P50));
    columns.add((quantiles ? col(ForecastModel.quantileColumn(model.name(), horizon, 0.9)) : col(p50)).as(P90));
    return columns.toArray(Column[]::new);
  }
}
