package io.nowcast.jobs.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved config as flat MLflow params (DESIGN §8), with secrets redacted, and its hash for the
 * {@code config_hash} tag.
 */
public final class ConfigParams {
  private ConfigParams() {}

  public static Map<String, String> flatten(NowcastConfig c) {
    Map<String, String> p = new TreeMap<>();
    p.put("env", c.env());
    p.put("data_root", redact(c.dataRoot()));
    p.put("source", c.source());
    p.put("synthetic.regions", String.valueOf(c.synthetic().regions()));
    p.put("synthetic.start", c.synthetic().start().toString());
    p.put("synthetic.days", String.valueOf(c.synthetic().days()));
    p.put("synthetic.seed", String.valueOf(c.synthetic().seed()));
    p.put("features.step_minutes", String.valueOf(c.features().stepMinutes()));
    p.put("features.lags_minutes", c.features().lagMinutes().toString());
    p.put("features.windows_minutes", c.features().windowMinutes().toString());
    p.put("features.horizons_minutes", c.features().horizons().toString());
    p.put("features.load_deltas_minutes", c.features().deltaMinutes().toString());
    p.put("features.weather_deltas_minutes", c.features().weatherDeltaMinutes().toString());
    p.put("features.groups", c.features().groups().stream().map(g -> g.key()).sorted().toList().toString());
    io.nowcast.ingest.quality.QualitySettings q = c.quality();
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_ENABLED, String.valueOf(q.enabled()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_MAX_GAP_MINUTES, String.valueOf(q.maxGapMinutes()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_COMPLETENESS_MIN_RATIO,
        String.valueOf(q.completenessMinRatio()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_FLATLINE_MIN_HOURS, String.valueOf(q.flatlineMinHours()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_OUTLIER_WEEKS, String.valueOf(q.outlierWeeks()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_OUTLIER_THRESHOLD, String.valueOf(q.outlierThreshold()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_OUTLIER_MIN_REFERENCE,
        String.valueOf(q.outlierMinReference()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_MAX_MW, String.valueOf(q.maxMw()));
    p.put(io.nowcast.ingest.quality.QualitySettings.KEY_MAX_JUMP_RATIO, String.valueOf(q.maxJumpRatio()));
    q.policies().forEach((check, policy) ->
        p.put(io.nowcast.ingest.quality.QualitySettings.policyKey(check), policy.key()));
    p.put("xgboost.num_round", String.valueOf(c.xgboost().numRound()));
    p.put("xgboost.early_stopping_rounds", String.valueOf(c.xgboost().earlyStoppingRounds()));
    p.put("xgboost.validation_fraction", String.valueOf(c.xgboost().validationFraction()));
    p.put("xgboost.num_workers", String.valueOf(c.xgboost().numWorkers()));
    p.put("xgboost.device", c.xgboost().device());
    c.xgboost().boosterParams().forEach((k, v) -> p.put("xgboost.params." + k, String.valueOf(v)));
    p.put("xgboost.quantiles", c.xgboost().quantiles().toString());
    p.put("xgboost.horizon_as_feature", String.valueOf(c.xgboost().horizonAsFeature()));
    p.put("xgboost.sample_fraction", String.valueOf(c.xgboost().sampleFraction()));
    p.put("xgboost.calibrate_intervals", String.valueOf(c.xgboost().calibrateIntervals()));
    p.put("backtest.folds", String.valueOf(c.backtest().folds()));
    p.put("backtest.fold_days", String.valueOf(c.backtest().foldDays()));
    p.put("backtest.test_start", String.valueOf(c.backtest().testStart()));
    p.put("backtest.test_end", String.valueOf(c.backtest().testEnd()));
    p.put("backtest.gap_minutes", String.valueOf(c.backtest().gapMinutes()));
    p.put("backtest.models", c.backtest().models().toString());
    c.modelParams().forEach(p::put);
    p.put("evaluate.test_days", String.valueOf(c.evaluation().testDays()));
    p.put("evaluate.gap_minutes", String.valueOf(c.evaluation().gapMinutes()));
    p.put("mlflow.experiment", c.experiment());
    return p;
  }

  /** SHA-256 (first 16 hex digits) of the flattened config. */
  public static String hash(NowcastConfig config) {
    return sha256(flatten(config).toString());
  }

  /** SHA-256 (first 16 hex digits) of {@code text}. */
  public static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Drops user info (keys, passwords) from a URI-like string. */
  static String redact(String uri) {
    return uri == null ? null : uri.replaceAll("://[^/@]*@", "://***@");
  }
}
