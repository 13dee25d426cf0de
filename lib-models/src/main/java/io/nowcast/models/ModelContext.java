package io.nowcast.models;

import io.nowcast.models.xgb.XgbSettings;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a model type may read when it trains or loads: the session, the model inputs (and so the
 * feature spec and horizons), the typed XGBoost settings, the raw {@code models.<type>.*} config values
 * of every type (hyper-parameters of types without a typed settings record, e.g. {@code
 * models.lstm.epochs}), and auxiliary tables by name (e.g. {@code iso_forecast}).
 */
public record ModelContext(
    SparkSession spark,
    ModelInputs inputs,
    XgbSettings xgboost,
    Map<String, String> params,
    Map<String, Dataset<Row>> tables) {

  public ModelContext {
    params = Map.copyOf(params);
    tables = Map.copyOf(tables);
  }

  /** The raw config value {@code models.<type>.<key>}, if set. */
  public Optional<String> param(String type, String key) {
    return Optional.ofNullable(params.get("models." + type + "." + key));
  }

  /** The auxiliary table {@code name}, if the data root has it. */
  public Optional<Dataset<Row>> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }
}
