package io.nowcast.models.registry;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names shared by training, the registry and serving: registered models, aliases and version tags. */
public final class RegistryNames {
  /** The XGBoost nowcast model (DESIGN.md section 8). */
  public static final String XGB_MODEL = "power-nowcast-xgb";
  /** The LSTM nowcast model. */
  public static final String LSTM_MODEL = "power-nowcast-lstm";
  /** Alias of the newest registered version. */
  public static final String STAGING = "staging";
  /** Alias of the version that serves; moved only by the promotion gate. */
  public static final String PRODUCTION = "production";
  /** Artifact path of the MLflow model inside a training run (docs/contracts/model-bundle.md). */
  public static final String MODEL_ARTIFACT_PATH = "mlflow-model";

  /** Version tag: hash of the training inputs. */
  public static final String TAG_DATA_FINGERPRINT = "data_fingerprint";
  /** Version tag: hash of the backtest fold definitions the metrics were computed on. */
  public static final String TAG_FOLDS_HASH = "backtest_folds_hash";
  /** Version tags of the last promotion decision about this version. */
  public static final String TAG_PROMOTION_VERDICT = "promotion.verdict";
  public static final String TAG_PROMOTION_RUN = "promotion.run_id";

  /** The metric the gate compares, per horizon: {@code mae_h15}, {@code mae_h30} ... */
  public static final String GATE_METRIC = "mae";

  private static final Pattern GATE_KEY = Pattern.compile(GATE_METRIC + "_h(\\d+)");

  private RegistryNames() {}

  /** {@code mae_h<horizon>}. */
  public static String gateMetric(int horizon) {
    return GATE_METRIC + "_h" + horizon;
  }

  /**
   * The gate metric per horizon found among {@code values} (tags or run metrics), sorted by horizon.
   * Values that are not numbers are skipped.
   */
  public static Map<Integer, Double> gateMetrics(Map<String, ?> values) {
    Map<Integer, Double> byHorizon = new TreeMap<>();
    values.forEach((key, value) -> {
      Matcher m = GATE_KEY.matcher(key);
      if (m.matches() && value != null) {
        try {
          byHorizon.put(Integer.parseInt(m.group(1)), Double.parseDouble(value.toString()));
        } catch (NumberFormatException notANumber) {
          // a malformed tag is not a metric
        }
      }
    });
    return byHorizon;
  }
}
