package io.nowcast.jobs.config;

import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.ingest.quality.QualitySettings;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.models.xgb.XgbSettings;

/**
 * The one resolved, immutable configuration of a pipeline execution (DESIGN §9). Built once on the
 * driver by {@link ConfigLoader}; jobs never read settings from anywhere else.
 *
 * @param dataRoot root of every table ({@code file:}, {@code s3a://} or a local path)
 * @param source which raw load to model: {@code synthetic} or {@code nyiso-pal}
 * @param trackingUri MLflow tracking server, or null to start a local one (run) / not track (stages)
 * @param backtest the rolling-origin backtest and results protocol
 * @param modelParams raw {@code models.<type>.<key>} values, hyper-parameters of model types without
 *     a typed settings record (handed to them through {@code ModelContext})
 * @param promotionMargin {@code registry.promotion_margin}: relative MAE improvement a candidate needs at
 *     every horizon to replace production ({@code nowcast promote})
 * @param quality the data-quality stage's thresholds and policies ({@code quality.*})
 */
public record NowcastConfig(
    String env,
    String dataRoot,
    String source,
    SyntheticSpec synthetic,
    FeatureSpec features,
    XgbSettings xgboost,
    EvaluationSettings evaluation,
    String trackingUri,
    String experiment,
    BacktestSettings backtest,
    java.util.Map<String, String> modelParams,
    double promotionMargin,
    QualitySettings quality) {

  /** Sources this version can model. */
  public static final java.util.List<String> SOURCES = java.util.List.of("synthetic", "nyiso-pal");

  public NowcastConfig {
    modelParams = java.util.Map.copyOf(modelParams == null ? java.util.Map.of() : modelParams);
    if (backtest == null) {
      backtest = BacktestSettings.defaults();
    }
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("source must be one of " + SOURCES + ", got '" + source + "'");
    }
    quality = quality == null ? QualitySettings.defaults() : quality;
  }

  /** The configuration with built-in backtest, registry and data-quality defaults. */
  public NowcastConfig(String env, String dataRoot, String source, SyntheticSpec synthetic, FeatureSpec features,
      XgbSettings xgboost, EvaluationSettings evaluation, String trackingUri, String experiment) {
    this(env, dataRoot, source, synthetic, features, xgboost, evaluation, trackingUri, experiment,
        BacktestSettings.defaults(), java.util.Map.of(), 0.0, QualitySettings.defaults());
  }

  /** Returns a copy with other XGBoost settings. */
  public NowcastConfig withXgboost(XgbSettings settings) {
    return new NowcastConfig(env, dataRoot, source, synthetic, features, settings, evaluation, trackingUri,
        experiment, backtest, modelParams, promotionMargin, quality);
  }

  /** Returns a copy with another data root. */
  public NowcastConfig withDataRoot(String root) {
    return new NowcastConfig(env, root, source, synthetic, features, xgboost, evaluation, trackingUri,
        experiment, backtest, modelParams, promotionMargin, quality);
  }

  /** Returns a copy with another source. */
  public NowcastConfig withSource(String newSource) {
    return new NowcastConfig(env, dataRoot, newSource, synthetic, features, xgboost, evaluation, trackingUri,
        experiment, backtest, modelParams, promotionMargin, quality);
  }

  /** Returns a copy with another tracking URI. */
  public NowcastConfig withTrackingUri(String uri) {
    return new NowcastConfig(env, dataRoot, source, synthetic, features, xgboost, evaluation, uri,
        experiment, backtest, modelParams, promotionMargin, quality);
  }
}
