package io.nowcast.models.baseline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The grid operator's own forecast as a baseline (NYISO {@code isolf}: hourly, issued each morning for
 * the next days), read from the raw table {@code raw/iso_forecast} ({@link #REGION}, {@link #ISSUE_DATE}
 * = local date of the file, {@link #TARGET_TS} UTC, {@link #FORECAST_MW}).
 *
 * <p>No look-ahead: for an issue time on local date D it uses only the file of D − 1, which was
 * published before D began (the file of D appears during the morning of D, at a time the data do not
 * record). The hourly value of the hour that holds the target time is the forecast for each 5-minute
 * target in it (hour-beginning stamps). Rows whose hour the file does not cover get null, so this
 * model is scored only where it exists ("at the hours it covers").
 */
public final class IsoForecastModel implements ForecastModel {
  public static final String NAME = "iso_forecast";
  /** Columns of the raw ISO forecast table (written by the isolf ingest). */
  public static final String REGION = "region";
  public static final String ISSUE_DATE = "issue_date";
  public static final String TARGET_TS = "target_ts";
  public static final String FORECAST_MW = "forecast_mw";
  /** Relative path of the raw table under the data root. */
  public static final String PATH = "raw/iso_forecast";

  private final Dataset<Row> forecasts;
  private final String zone;
  private final List<Integer> horizons;

  /**
   * @param forecasts rows of the raw ISO forecast table
   * @param zone the local time zone of the issue dates (America/New_York for NYISO)
   */
  public IsoForecastModel(Dataset<Row> forecasts, String zone, List<Integer> horizons) {
    for (String column : List.of(REGION, ISSUE_DATE, TARGET_TS, FORECAST_MW)) {
      if (!List.of(forecasts.columns()).contains(column)) {
        throw new IllegalArgumentException("the ISO forecast table has no column " + column);
      }
    }
    this.forecasts = forecasts;
    this.zone = zone;
    this.horizons = List.copyOf(horizons);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Integer> horizons() {
    return horizons;
  }

  @Override
  public Dataset<Row> predict(Dataset<Row> features) {
    // One value per region, file and hour (a file repeating an hour would multiply rows otherwise).
    Dataset<Row> hourly = forecasts
        .groupBy(col(REGION).as("_iso_region"), col(ISSUE_DATE).as("_iso_issue_date"),
            date_trunc("hour", col(TARGET_TS)).as("_iso_hour"))
        .agg(org.apache.spark.sql.functions.avg(FORECAST_MW).as("_iso_mw"));
    Dataset<Row> out = features.withColumn("_iso_file",
        date_sub(to_date(from_utc_timestamp(col(FeatureTable.ISSUE_TS), zone)), 1));
    for (int horizon : horizons) {
      Column targetHour = date_trunc("hour",
          col(FeatureTable.ISSUE_TS).plus(expr("INTERVAL " + horizon + " MINUTES")));
      out = out.withColumn("_iso_target_hour", targetHour)
          .join(hourly, col(FeatureTable.REGION).equalTo(col("_iso_region"))
              .and(col("_iso_file").equalTo(col("_iso_issue_date")))
              .and(col("_iso_target_hour").equalTo(col("_iso_hour"))), "left")
          .withColumn(ForecastModel.forecastColumn(NAME, horizon), col("_iso_mw"))
          .drop("_iso_region", "_iso_issue_date", "_iso_hour", "_iso_mw", "_iso_target_hour");
    }
    return out.drop("_iso_file");
  }

  /** Nothing of its own to save: it reads the raw table, which the data root already holds. */
  @Override
  public void save(SparkSession spark, String dir) throws IOException {
    new org.apache.hadoop.fs.Path(dir).getFileSystem(spark.sparkContext().hadoopConfiguration())
        .mkdirs(new org.apache.hadoop.fs.Path(dir));
  }

  /** An empty forecast table with the raw table's columns (when no ISO forecast was ingested). */
  public static Dataset<Row> empty(SparkSession spark) {
    return spark.sql("SELECT CAST(NULL AS STRING) AS region, CAST(NULL AS DATE) AS issue_date, "
        + "CAST(NULL AS TIMESTAMP) AS target_ts, CAST(NULL AS DOUBLE) AS forecast_mw").where(lit(false));
  }
}
