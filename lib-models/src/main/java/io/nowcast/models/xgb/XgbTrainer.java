package io.nowcast.models.xgb;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ModelInputs;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Predef;
import scala.collection.JavaConverters;

/**
 * Trains one XGBoost4J-Spark regressor per horizon (direct multi-horizon forecasting) on the
 * scale-free inputs of {@link ModelInputs}.
 *
 * <p>Features go in as one assembled vector column: with XGBoost4J-Spark 3.4.0,
 * {@code setFeaturesCol(String[])} trains but predicts a shifted column on CPU (DESIGN §12). Early
 * stopping watches the latest {@code validationFraction} of the training period — by time, never a
 * random sample.
 */
public final class XgbTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(XgbTrainer.class);

  private final XgbSettings settings;

  private final GpuProbe probe;

  public XgbTrainer(XgbSettings settings) {
    this(settings, GpuProbe.system());
  }

  /** With an explicit GPU probe (tests of the device fallback). */
  public XgbTrainer(XgbSettings settings, GpuProbe probe) {
    this.settings = settings;
    this.probe = probe;
  }

  /**
   * Trains on {@code prepared} (output of {@link ModelInputs#prepare}) for each horizon, using rows
   * whose label is present.
   */
  public XgbNowcastModel train(Dataset<Row> prepared, List<String> inputNames, List<Integer> horizons) {
    Dataset<Row> assembled = FeatureVectors.assemble(prepared, inputNames).cache();
    try {
      Timestamp validationStart = validationStart(assembled);
      Map<String, Object> params = new LinkedHashMap<>(settings.xgboostParams());
      params.put("device", XgbDevice.resolve(settings.device(), probe));
      Map<Integer, XGBoostRegressionModel> models = new LinkedHashMap<>();
      for (int horizon : horizons) {
        String label = ModelInputs.label(horizon);
        Dataset<Row> labelled = assembled.where(col(label).isNotNull());
        XGBoostRegressor regressor = new XGBoostRegressor(scalaMap(params));
        regressor.setFeaturesCol(FeatureVectors.COLUMN);
        regressor.setLabelCol(label);
        Dataset<Row> train = labelled;
        if (validationStart != null && settings.earlyStoppingRounds() > 0) {
          train = labelled.where(col(FeatureTable.ISSUE_TS).lt(validationStart));
          regressor.setEvalDataset(labelled.where(col(FeatureTable.ISSUE_TS).geq(validationStart)));
        }
        long started = System.nanoTime();
        XGBoostRegressionModel model = regressor.fit(train);
        LOG.info("trained XGBoost h{} in {} s ({} trees)", horizon,
            String.format("%.1f", (System.nanoTime() - started) / 1e9),
            model.nativeBooster().getNumBoostedRound());
        models.put(horizon, model);
      }
      return new XgbNowcastModel(inputNames, models);
    } finally {
      assembled.unpersist();
    }
  }

  /** The start of the validation slice: the {@code validationFraction} quantile of issue time. */
  private Timestamp validationStart(Dataset<Row> assembled) {
    if (settings.validationFraction() <= 0) {
      return null;
    }
    Row bounds = assembled.agg(
        functions.min(FeatureTable.ISSUE_TS), functions.max(FeatureTable.ISSUE_TS)).first();
    if (bounds.isNullAt(0)) {
      throw new IllegalArgumentException("no training rows: the training period is empty");
    }
    long first = bounds.getTimestamp(0).getTime();
    long last = bounds.getTimestamp(1).getTime();
    return new Timestamp(last - (long) ((last - first) * settings.validationFraction()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static scala.collection.immutable.Map<String, Object> scalaMap(Map<String, Object> params) {
    return JavaConverters.mapAsScalaMapConverter(params).asScala().toMap((Predef.$less$colon$less) Predef.$conforms());
  }
}
