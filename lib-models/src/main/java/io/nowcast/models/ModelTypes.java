package io.nowcast.models;

import io.nowcast.models.lstm.LstmNowcastModel;
import io.nowcast.models.lstm.LstmSettings;
import io.nowcast.models.lstm.LstmTrainer;

import io.nowcast.models.baseline.BaselineModel;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.baseline.IsoForecastModel;
import io.nowcast.models.xgb.XgbNowcastModel;
import io.nowcast.models.xgb.XgbTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The model types by name: how to train one on rows of the features table and how to load a saved
 * one. Adding a model is one {@link #register} line in {@link #standard()} (e.g. {@code
 * .register("lstm", LstmModel::train, LstmModel::load)}); hyper-parameters come from the
 * {@link ModelContext}.
 */
public final class ModelTypes {
  /** Trains a model of one type. */
  @FunctionalInterface
  public interface Trainer {
    ForecastModel train(ModelContext context, Dataset<Row> trainingFeatures);
  }

  /** Loads a saved model of one type. */
  @FunctionalInterface
  public interface Loader {
    ForecastModel load(ModelContext context, String dir) throws IOException;
  }

  /** One registered type. */
  public record ModelType(String name, Trainer trainer, Loader loader) {}

  private final Map<String, ModelType> types = new LinkedHashMap<>();

  /** The built-in types: XGBoost, the naive baselines, the ISO forecast and the DJL LSTM. */
  public static ModelTypes standard() {
    return new ModelTypes()
        .register(XgbNowcastModel.NAME,
            (c, train) -> new XgbTrainer(c.xgboost()).train(train, c.inputs()),
            (c, dir) -> XgbNowcastModel.load(c.spark(), dir, c.inputs()))
        .register(Baselines.PERSISTENCE,
            (c, train) -> BaselineModel.persistence(horizons(c)),
            (c, dir) -> BaselineModel.persistence(horizons(c)))
        .register(Baselines.SEASONAL_DAY,
            (c, train) -> BaselineModel.seasonalDay(horizons(c)),
            (c, dir) -> BaselineModel.seasonalDay(horizons(c)))
        .register(Baselines.SEASONAL_WEEK,
            (c, train) -> BaselineModel.seasonalWeek(horizons(c)),
            (c, dir) -> BaselineModel.seasonalWeek(horizons(c)))
        .register(IsoForecastModel.NAME, ModelTypes::iso, (c, dir) -> iso(c, null))
        .register(LstmNowcastModel.NAME,
            (c, train) -> new LstmTrainer(LstmSettings.fromConfig(c.params()), c.inputs().spec()).train(train),
            (c, dir) -> LstmNowcastModel.load(c.spark(), dir));
  }

  /** Adds (or replaces) the type {@code name}; returns this registry. */
  public ModelTypes register(String name, Trainer trainer, Loader loader) {
    types.put(name, new ModelType(name, trainer, loader));
    return this;
  }

  /** The type called {@code name}, or a clear error naming the known ones. */
  public ModelType get(String name) {
    ModelType type = types.get(name);
    if (type == null) {
      throw new IllegalArgumentException("unknown model type '" + name + "' (known: " + names() + ")");
    }
    return type;
  }

  public List<String> names() {
    return new ArrayList<>(types.keySet());
  }

  private static List<Integer> horizons(ModelContext context) {
    return context.inputs().spec().horizons();
  }

  private static ForecastModel iso(ModelContext context, Dataset<Row> ignored) {
    Dataset<Row> table = context.table(IsoForecastModel.NAME).orElseThrow(() -> new IllegalArgumentException(
        "model iso_forecast needs the raw ISO forecast table (" + IsoForecastModel.PATH
            + "): ingest NYISO isolf first, or leave iso_forecast out of the model list"));
    return new IsoForecastModel(table,
        context.param(IsoForecastModel.NAME, "zone").orElse("America/New_York"), horizons(context));
  }
}
