package io.nowcast.models.xgb;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.tracking.NowcastBundle;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.Booster;
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
 * Trains the XGBoost nowcaster on rows of the features table: one booster per quantile level
 * ({@code reg:quantileerror}), either shared by all horizons ({@code horizon_min} as an input, rows ×
 * horizons) or one per horizon, over the scale-free inputs of {@link ModelInputs}.
 *
 * <p>Features go in as one assembled vector column: with XGBoost4J-Spark 3.4.0, {@code
 * setFeaturesCol(String[])} trains but predicts a shifted column on CPU (DESIGN §12). Early stopping
 * watches the latest {@code validationFraction} of the training period — by time, never a random
 * sample — and the trees grown after the best iteration are cut ({@link BoosterTrim}).
 */
public final class XgbTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(XgbTrainer.class);

  private static final long TRAINING_SEED = 7L;
  private static final long CALIBRATION_SEED = 11L;

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

  /** Trains on {@code features} (rows of the features table) for {@code inputs.spec().horizons()}. */
  public XgbNowcastModel train(Dataset<Row> features, ModelInputs inputs) {
    List<Integer> horizons = inputs.spec().horizons();
    List<String> inputNames = inputs.inputNames(Arrays.asList(features.columns()));
    List<String> boosterInputs = new ArrayList<>();
    if (settings.horizonAsFeature()) {
      boosterInputs.add(ModelInputs.HORIZON);
    }
    boosterInputs.addAll(inputNames);
    Dataset<Row> sample = sample(features);
    Map<XgbNowcastModel.Key, XGBoostRegressionModel> boosters = new LinkedHashMap<>();
    List<Double> levels = settings.hasQuantiles() ? settings.quantiles() : List.of(XgbNowcastModel.POINT);
    if (settings.horizonAsFeature()) {
      Dataset<Row> rows = FeatureVectors.assemble(inputs.stacked(sample, inputNames, horizons), boosterInputs);
      fitAll(rows, XgbNowcastModel.ALL_HORIZONS, levels, boosters);
    } else {
      for (int horizon : horizons) {
        Dataset<Row> rows = FeatureVectors.assemble(inputs.stacked(sample, inputNames, List.of(horizon)),
            boosterInputs);
        fitAll(rows, horizon, levels, boosters);
      }
    }
    XgbNowcastModel model = new XgbNowcastModel(inputs, boosterInputs, horizons,
        settings.hasQuantiles() ? settings.quantiles() : List.of(), settings.horizonAsFeature(), boosters);
    return settings.calibrates() ? calibrate(model, features, validationStart(sample)) : model;
  }

  /**
   * Fits the interval margins on the validation slice (issue times from {@code validationStart}),
   * on a sample drawn with another hash than the training sample so the rows early stopping watched
   * are mostly not reused, and ten times larger (prediction is cheap next to training).
   */
  private XgbNowcastModel calibrate(XgbNowcastModel model, Dataset<Row> features, Timestamp validationStart) {
    long started = System.nanoTime();
    double fraction = Math.min(1.0, 10 * settings.sampleFraction());
    Dataset<Row> rows = hashSample(features.where(col(FeatureTable.ISSUE_TS).geq(validationStart)),
        fraction, CALIBRATION_SEED);
    Dataset<Row> predicted = model.predict(rows).cache();
    try {
      IntervalCalibration calibration = IntervalCalibration.fit(predicted, XgbNowcastModel.NAME,
          model.horizons(), settings.quantiles().stream().sorted().toList());
      for (NowcastBundle.IntervalMargin m : calibration.margins()) {
        LOG.info("interval margin h{} P{}-P{} {}: {} ({} rows)", m.horizon(), Math.round(m.lower() * 100),
            Math.round(m.upper() * 100), m.region(), String.format("%+.5f", m.margin()), m.rows());
      }
      LOG.info("calibrated the quantile intervals from {} in {} s", validationStart,
          String.format("%.1f", (System.nanoTime() - started) / 1e9));
      return model.withCalibration(calibration);
    } finally {
      predicted.unpersist();
    }
  }

  private void fitAll(Dataset<Row> rows, int horizonKey, List<Double> levels,
      Map<XgbNowcastModel.Key, XGBoostRegressionModel> out) {
    Dataset<Row> cached = rows.cache();
    try {
      Timestamp validationStart = validationStart(cached);
      for (double q : levels) {
        long started = System.nanoTime();
        XGBoostRegressionModel model = fit(cached, validationStart, q);
        LOG.info("trained XGBoost {} q{} in {} s ({} trees kept)",
            horizonKey == XgbNowcastModel.ALL_HORIZONS ? "all horizons" : "h" + horizonKey, q,
            String.format("%.1f", (System.nanoTime() - started) / 1e9),
            model.nativeBooster().getNumBoostedRound());
        out.put(new XgbNowcastModel.Key(horizonKey, q), model);
      }
    } finally {
      cached.unpersist();
    }
  }

  private XGBoostRegressionModel fit(Dataset<Row> rows, Timestamp validationStart, double quantile) {
    Map<String, Object> params = new LinkedHashMap<>(settings.xgboostParams());
    params.put("device", XgbDevice.resolve(settings.device(), probe));
    if (settings.hasQuantiles()) {
      params.put("objective", "reg:quantileerror");
    }
    XGBoostRegressor regressor = new XGBoostRegressor(scalaMap(params));
    regressor.setFeaturesCol(FeatureVectors.COLUMN);
    regressor.setLabelCol(ModelInputs.LABEL);
    Dataset<Row> train = rows;
    // The validation slice stays out of training when early stopping watches it or the interval
    // calibration is fitted on it (calibrating on training rows would give too-narrow margins).
    if (validationStart != null && (settings.earlyStoppingRounds() > 0 || settings.calibrates())) {
      train = rows.where(col(FeatureTable.ISSUE_TS).lt(validationStart));
    }
    if (validationStart != null && settings.earlyStoppingRounds() > 0) {
      regressor.setEvalDataset(rows.where(col(FeatureTable.ISSUE_TS).geq(validationStart)));
    }
    XGBoostRegressionModel model = settings.hasQuantiles()
        ? QuantileRegressor.fit(regressor, train, Map.of("quantile_alpha", quantile))
        : regressor.fit(train);
    Booster trimmed = BoosterTrim.toBestIteration(model.nativeBooster());
    if (trimmed == model.nativeBooster()) {
      model.setFeaturesCol(FeatureVectors.COLUMN);
      return model;
    }
    return XgbNowcastModel.wrap(trimmed);
  }

  /**
   * The configured fraction of issue times, chosen by a hash of region and issue time so the same
   * rows are kept whatever the partitioning.
   */
  private Dataset<Row> sample(Dataset<Row> features) {
    return hashSample(features, settings.sampleFraction(), TRAINING_SEED);
  }

  private static Dataset<Row> hashSample(Dataset<Row> features, double fraction, long seed) {
    if (fraction >= 1.0) {
      return features;
    }
    long buckets = 10_000;
    return features.where(pmod(xxhash64(concat_ws("|", col(FeatureTable.REGION),
        col(FeatureTable.ISSUE_TS).cast("string")), lit(seed)), lit(buckets))
        .lt(lit(Math.round(fraction * buckets))));
  }

  /** The start of the validation slice: the {@code validationFraction} quantile of issue time. */
  private Timestamp validationStart(Dataset<Row> rows) {
    if (settings.validationFraction() <= 0) {
      return null;
    }
    Row bounds = rows.agg(functions.min(FeatureTable.ISSUE_TS), functions.max(FeatureTable.ISSUE_TS)).first();
    if (bounds.isNullAt(0)) {
      throw new IllegalArgumentException("no training rows: the training period has no labelled rows");
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
