package io.nowcast.models.xgb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to train the XGBoost models. {@code boosterParams} are XGBoost's own parameter names and values
 * (objective, max_depth, eta, …) passed through untouched, as XGBoost documents them; the rest are
 * the settings this system itself interprets.
 *
 * @param device {@code cpu} or {@code cuda} (GPU; needs the RAPIDS/GPU jars and confs, see
 *     conf/spark-gpu.conf)
 * @param numWorkers XGBoost workers (Spark barrier tasks); × spark.task.cpus must fit the cluster
 * @param validationFraction the latest fraction of the training period held out for early stopping
 * @param quantiles quantile levels, one {@code reg:quantileerror} booster each (0.5 is the point
 *     forecast and must be among them); empty: one point booster with {@code boosterParams}' objective
 * @param horizonAsFeature one booster for all horizons with {@code horizon_min} as an input (rows ×
 *     horizons), else one booster per horizon
 * @param sampleFraction the fraction of training issue times used (a deterministic hash of region and
 *     issue time), to bound training time on years of data; 1 = all
 * @param calibrateIntervals whether the quantile intervals are calibrated per series and horizon on
 *     the validation slice ({@link IntervalCalibration}); needs quantiles and a validation fraction
 */
public record XgbSettings(
    Map<String, Object> boosterParams,
    int numRound,
    int earlyStoppingRounds,
    double validationFraction,
    int numWorkers,
    String device,
    List<Double> quantiles,
    boolean horizonAsFeature,
    double sampleFraction,
    boolean calibrateIntervals) {

  public static final List<Double> QUANTILES_DEFAULT = List.of(0.1, 0.5, 0.9);

  /** Point forecasts only, one booster per horizon, all rows (the settings before quantiles). */
  public XgbSettings(Map<String, Object> boosterParams, int numRound, int earlyStoppingRounds,
      double validationFraction, int numWorkers, String device) {
    this(boosterParams, numRound, earlyStoppingRounds, validationFraction, numWorkers, device, List.of(),
        false, 1.0, false);
  }

  /** Without interval calibration. */
  public XgbSettings(Map<String, Object> boosterParams, int numRound, int earlyStoppingRounds,
      double validationFraction, int numWorkers, String device, List<Double> quantiles,
      boolean horizonAsFeature, double sampleFraction) {
    this(boosterParams, numRound, earlyStoppingRounds, validationFraction, numWorkers, device, quantiles,
        horizonAsFeature, sampleFraction, false);
  }

  public XgbSettings {
    boosterParams = Map.copyOf(boosterParams);
    quantiles = List.copyOf(quantiles);
    for (double q : quantiles) {
      if (!(q > 0 && q < 1)) {
        throw new IllegalArgumentException("xgboost.quantiles must lie in (0, 1), got " + q);
      }
    }
    if (!quantiles.isEmpty() && !quantiles.contains(0.5)) {
      throw new IllegalArgumentException(
          "xgboost.quantiles must include 0.5 (the point forecast), got " + quantiles);
    }
    if (!(sampleFraction > 0 && sampleFraction <= 1)) {
      throw new IllegalArgumentException("xgboost.sample_fraction must be in (0, 1], got " + sampleFraction);
    }
    if (numRound < 1) {
      throw new IllegalArgumentException("xgboost.num_round must be >= 1, got " + numRound);
    }
    if (numWorkers < 1) {
      throw new IllegalArgumentException("xgboost.num_workers must be >= 1, got " + numWorkers);
    }
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw new IllegalArgumentException("xgboost.device must be cpu or cuda, got '" + device + "'");
    }
    if (validationFraction < 0 || validationFraction >= 0.5) {
      throw new IllegalArgumentException(
          "xgboost.validation_fraction must be in [0, 0.5), got " + validationFraction);
    }
  }

  /**
   * Defaults: depth-6 hist trees, eta 0.1, up to 300 rounds with early stopping after 20; P10/P50/P90
   * boosters with the horizon as a feature.
   */
  public static XgbSettings defaults() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("objective", "reg:squarederror");
    params.put("tree_method", "hist");
    params.put("max_depth", 6);
    params.put("eta", 0.1);
    params.put("subsample", 0.8);
    params.put("colsample_bytree", 0.8);
    params.put("min_child_weight", 5.0);
    params.put("max_bin", 256);
    params.put("seed", 7);
    return new XgbSettings(params, 300, 20, 0.1, 1, "cpu", QUANTILES_DEFAULT, true, 1.0, true);
  }

  /** Whether training ends with {@link IntervalCalibration} (quantiles and a validation slice). */
  public boolean calibrates() {
    return calibrateIntervals && hasQuantiles() && validationFraction > 0;
  }

  /** Whether the model forecasts quantiles (else one point forecast). */
  public boolean hasQuantiles() {
    return !quantiles.isEmpty();
  }

  /** The full parameter map handed to XGBoost4J-Spark. */
  public Map<String, Object> xgboostParams() {
    Map<String, Object> all = new LinkedHashMap<>(boosterParams);
    all.put("device", device);
    all.put("num_round", numRound);
    all.put("num_workers", numWorkers);
    if (earlyStoppingRounds > 0 && validationFraction > 0) {
      all.put("num_early_stopping_rounds", earlyStoppingRounds);
    }
    return all;
  }
}
