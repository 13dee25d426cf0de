package io.nowcast.models;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A trained nowcast model of any type (XGBoost, LSTM, a baseline): it reads rows of the features table
 * and adds its forecasts in megawatts, one column per horizon, named by {@link #forecastColumn}; a
 * model with quantiles also adds {@link #quantileColumn} columns for P10 and P90 (P50 is the point
 * forecast column). Evaluation, backtests, plots and the registry only see this interface.
 */
public interface ForecastModel {
  /** The model's name in metrics, columns and MLflow (for example {@code xgboost}, {@code lstm}). */
  String name();

  /** The horizons (minutes) this model forecasts. */
  List<Integer> horizons();

  /** The quantile levels it forecasts besides the point forecast; empty for point-only models. */
  default List<Double> quantiles() {
    return List.of();
  }

  /** {@code features} (rows of the features table) with this model's forecast columns added. */
  Dataset<Row> predict(Dataset<Row> features);

  /** Saves the model under {@code dir} (file: or s3a:), overwriting. */
  void save(SparkSession spark, String dir) throws IOException;

  /** Name of the point (P50) forecast column of {@code model} at {@code horizon}: {@code <model>_h<h>}. */
  static String forecastColumn(String model, int horizon) {
    return model + "_h" + horizon;
  }

  /**
   * Name of the quantile forecast column of {@code model} at {@code horizon}: {@code <model>_h<h>_p10}
   * for quantile 0.1.
   */
  static String quantileColumn(String model, int horizon, double quantile) {
    return forecastColumn(model, horizon) + "_p" + Math.round(quantile * 100);
  }
}
