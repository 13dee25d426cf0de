package io.nowcast.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.spec.FeatureSpecFile;
import io.nowcast.ingest.quality.QualityCheck;
import io.nowcast.ingest.quality.QualityPolicy;
import io.nowcast.ingest.quality.QualitySettings;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.models.xgb.XgbSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves the configuration once, with this precedence (later wins): built-in defaults &lt;
 * {@code conf/<env>.yaml} (or {@code --config FILE}) &lt; environment variables ({@code NOWCAST_DATA_ROOT},
 * {@code NOWCAST_SOURCE}, {@code MLFLOW_TRACKING_URI}) &lt; command-line options. Keys are dotted paths
 * ({@code xgboost.num_round}); an unknown key or a bad value fails with a message naming the key.
 * {@code xgboost.params.*} are XGBoost's own parameters and pass through untouched.
 *
 * <p>The feature spec comes from the file {@code features.spec_file} (default {@value
 * FeatureSpecFile#PATH_DEFAULT} under the project home; built-in {@link FeatureSpec#defaults()} when that
 * default file is absent); {@code features.step_minutes}, {@code lags_minutes}, {@code windows_minutes}
 * and {@code horizons_minutes}, when set, override the file's values. {@code quality.*} are the
 * data-quality stage's settings ({@link QualitySettings}).
 */
public final class ConfigLoader {
  /** Environment variable naming the data root. */
  public static final String ENV_DATA_ROOT = "NOWCAST_DATA_ROOT";
  public static final String ENV_SOURCE = "NOWCAST_SOURCE";
  public static final String ENV_TRACKING_URI = "MLFLOW_TRACKING_URI";
  public static final String DATA_ROOT_DEFAULT = "work/data";
  /** The key naming the feature spec file (relative paths resolve against the project home). */
  public static final String FEATURES_SPEC_FILE = "features.spec_file";

  private static final Set<String> KEYS =
      Set.of("data_root", "source", "synthetic.regions", "synthetic.start", "synthetic.days",
          "synthetic.seed", "features.step_minutes", "features.lags_minutes",
          "features.windows_minutes", "features.horizons_minutes", "xgboost.num_round",
          "xgboost.early_stopping_rounds", "xgboost.validation_fraction", "xgboost.num_workers",
          "xgboost.device", "evaluate.test_days", "evaluate.gap_minutes", "mlflow.tracking_uri",
          "mlflow.experiment", "xgboost.quantiles", "xgboost.horizon_as_feature", "xgboost.sample_fraction",
          "xgboost.calibrate_intervals",
          "backtest.folds", "backtest.fold_days", "backtest.test_start", "backtest.test_end",
          "backtest.gap_minutes", "backtest.models", "backtest.series", "registry.promotion_margin", FEATURES_SPEC_FILE);

  /** The {@code quality.*} keys. */
  private static final Set<String> QUALITY_KEYS = qualityKeys();

  private static Set<String> qualityKeys() {
    Set<String> keys = new java.util.HashSet<>(Set.of(QualitySettings.KEY_ENABLED,
        QualitySettings.KEY_MAX_GAP_MINUTES, QualitySettings.KEY_COMPLETENESS_MIN_RATIO,
        QualitySettings.KEY_FLATLINE_MIN_HOURS, QualitySettings.KEY_OUTLIER_WEEKS,
        QualitySettings.KEY_OUTLIER_THRESHOLD, QualitySettings.KEY_OUTLIER_MIN_REFERENCE,
        QualitySettings.KEY_MAX_MW, QualitySettings.KEY_MAX_JUMP_RATIO));
    for (QualityCheck check : QualityCheck.values()) {
      keys.add(QualitySettings.policyKey(check));
    }
    return Set.copyOf(keys);
  }

  private ConfigLoader() {}

  /**
   * @param env environment name; {@code conf/<env>.yaml} under {@code home} is read when present
   * @param explicitFile a config file given with {@code --config}, or null
   * @param environment the process environment
   * @param overrides dotted keys from the command line
   */
  public static NowcastConfig load(String env, Path home, Path explicitFile,
      Map<String, String> environment, Map<String, Object> overrides) {
    Map<String, Object> values = new TreeMap<>();
    Path file = explicitFile != null ? explicitFile : home.resolve("conf").resolve(env + ".yaml");
    if (explicitFile != null && !Files.exists(explicitFile)) {
      throw new IllegalArgumentException("config file not found: " + explicitFile);
    }
    if (Files.exists(file)) {
      values.putAll(readYaml(file));
    }
    putIfSet(values, "data_root", environment.get(ENV_DATA_ROOT));
    putIfSet(values, "source", environment.get(ENV_SOURCE));
    putIfSet(values, "mlflow.tracking_uri", environment.get(ENV_TRACKING_URI));
    overrides.forEach((key, value) -> putIfSet(values, key, value));
    for (String key : values.keySet()) {
      if (!KEYS.contains(key) && !QUALITY_KEYS.contains(key) && !key.startsWith("xgboost.params.")
          && !key.startsWith("models.")) {
        java.util.TreeSet<String> known = new java.util.TreeSet<>(KEYS);
        known.addAll(QUALITY_KEYS);
        throw new IllegalArgumentException("unknown config key '" + key + "' (known: "
            + known + ", xgboost.params.*, models.<type>.*)");
      }
    }
    return build(env, home, values);
  }

  private static NowcastConfig build(String env, Path home, Map<String, Object> v) {
    SyntheticSpec synth = new SyntheticSpec(
        intValue(v, "synthetic.regions", SyntheticSpec.REGIONS_DEFAULT),
        dateValue(v, "synthetic.start", SyntheticSpec.START_DEFAULT),
        intValue(v, "synthetic.days", SyntheticSpec.DAYS_DEFAULT),
        intValue(v, "synthetic.seed", (int) SyntheticSpec.SEED_DEFAULT));
    FeatureSpec features = featureSpec(home, v);
    XgbSettings xgbDefaults = XgbSettings.defaults();
    Map<String, Object> params = new LinkedHashMap<>(xgbDefaults.boosterParams());
    v.forEach((key, value) -> {
      if (key.startsWith("xgboost.params.")) {
        params.put(key.substring("xgboost.params.".length()), value);
      }
    });
    XgbSettings xgb = new XgbSettings(params,
        intValue(v, "xgboost.num_round", xgbDefaults.numRound()),
        intValue(v, "xgboost.early_stopping_rounds", xgbDefaults.earlyStoppingRounds()),
        doubleValue(v, "xgboost.validation_fraction", xgbDefaults.validationFraction()),
        intValue(v, "xgboost.num_workers", xgbDefaults.numWorkers()),
        String.valueOf(v.getOrDefault("xgboost.device", xgbDefaults.device())),
        doubleList(v, "xgboost.quantiles", xgbDefaults.quantiles()),
        boolValue(v, "xgboost.horizon_as_feature", xgbDefaults.horizonAsFeature()),
        doubleValue(v, "xgboost.sample_fraction", xgbDefaults.sampleFraction()),
        boolValue(v, "xgboost.calibrate_intervals", xgbDefaults.calibrateIntervals()));
    BacktestSettings backtestDefaults = BacktestSettings.defaults();
    BacktestSettings backtest = new BacktestSettings(
        intValue(v, "backtest.folds", backtestDefaults.folds()),
        intValue(v, "backtest.fold_days", backtestDefaults.foldDays()),
        dateValue(v, "backtest.test_start", null),
        dateValue(v, "backtest.test_end", null),
        intValue(v, "backtest.gap_minutes", backtestDefaults.gapMinutes()),
        stringList(v, "backtest.models", backtestDefaults.models()),
        stringList(v, "backtest.series", backtestDefaults.series()));
    if (backtest.gapMinutes() < features.maxHorizon()) {
      throw new IllegalArgumentException("backtest.gap_minutes must be >= the longest horizon ("
          + features.maxHorizon() + " min), got " + backtest.gapMinutes()
          + ": training targets would fall inside the test window");
    }
    // Fail before any Spark work on a model name the registry does not know (the error lists the known ones).
    backtest.models().forEach(io.nowcast.models.ModelTypes.standard()::get);
    Map<String, String> modelParams = new TreeMap<>();
    v.forEach((key, value) -> {
      if (key.startsWith("models.")) {
        modelParams.put(key, String.valueOf(value));
      }
    });
    EvaluationSettings evaluation = new EvaluationSettings(
        intValue(v, "evaluate.test_days", EvaluationSettings.TEST_DAYS_DEFAULT),
        Math.max(intValue(v, "evaluate.gap_minutes", EvaluationSettings.GAP_MINUTES_DEFAULT),
            features.maxHorizon()));
    String root = String.valueOf(v.getOrDefault("data_root", DATA_ROOT_DEFAULT));
    if (!root.contains("://") && !root.startsWith("file:") && !Path.of(root).isAbsolute()) {
      root = home.resolve(root).normalize().toString();
    }
    Object uri = v.get("mlflow.tracking_uri");
    return new NowcastConfig(env, root, String.valueOf(v.getOrDefault("source", "synthetic")),
        synth, features, xgb, evaluation,
        uri == null || String.valueOf(uri).isBlank() ? null : String.valueOf(uri),
        String.valueOf(v.getOrDefault("mlflow.experiment", "power-nowcast")), backtest, modelParams,
        promotionMargin(v), quality(v, features.stepMinutes()));
  }

  private static double promotionMargin(Map<String, Object> v) {
    double margin = doubleValue(v, "registry.promotion_margin", 0.0);
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException(
          "registry.promotion_margin must be a relative MAE improvement in [0, 1), e.g. 0.02, got " + margin);
    }
    return margin;
  }

  /** The spec file's spec (or the built-in defaults), with the {@code features.*} overrides on top. */
  static FeatureSpec featureSpec(Path home, Map<String, Object> v) {
    Object named = v.get(FEATURES_SPEC_FILE);
    Path file = home.resolve(named == null ? FeatureSpecFile.PATH_DEFAULT : named.toString().trim());
    FeatureSpec base;
    if (Files.exists(file)) {
      base = FeatureSpecFile.read(file);
    } else if (named != null) {
      throw new IllegalArgumentException(FEATURES_SPEC_FILE + " names a file that does not exist: " + file);
    } else {
      base = FeatureSpec.defaults();
    }
    if (!v.containsKey("features.step_minutes") && !v.containsKey("features.lags_minutes")
        && !v.containsKey("features.windows_minutes") && !v.containsKey("features.horizons_minutes")) {
      return base;
    }
    return new FeatureSpec(
        intValue(v, "features.step_minutes", base.stepMinutes()),
        intList(v, "features.lags_minutes", base.lagMinutes()),
        intList(v, "features.windows_minutes", base.windowMinutes()),
        intList(v, "features.horizons_minutes", base.horizons()),
        base.deltaMinutes(), base.weatherDeltaMinutes(), base.groups());
  }

  private static QualitySettings quality(Map<String, Object> v, int stepMinutes) {
    Map<QualityCheck, QualityPolicy> policies = new EnumMap<>(QualitySettings.POLICIES_DEFAULT);
    for (QualityCheck check : QualityCheck.values()) {
      String key = QualitySettings.policyKey(check);
      if (v.containsKey(key)) {
        policies.put(check, QualityPolicy.parse(String.valueOf(v.get(key)), key));
      }
    }
    return new QualitySettings(
        booleanValue(v, QualitySettings.KEY_ENABLED, QualitySettings.ENABLED_DEFAULT),
        stepMinutes,
        intValue(v, QualitySettings.KEY_MAX_GAP_MINUTES, QualitySettings.MAX_GAP_MINUTES_DEFAULT),
        doubleValue(v, QualitySettings.KEY_COMPLETENESS_MIN_RATIO, QualitySettings.COMPLETENESS_MIN_RATIO_DEFAULT),
        doubleValue(v, QualitySettings.KEY_FLATLINE_MIN_HOURS, QualitySettings.FLATLINE_MIN_HOURS_DEFAULT),
        intValue(v, QualitySettings.KEY_OUTLIER_WEEKS, QualitySettings.OUTLIER_WEEKS_DEFAULT),
        doubleValue(v, QualitySettings.KEY_OUTLIER_THRESHOLD, QualitySettings.OUTLIER_THRESHOLD_DEFAULT),
        intValue(v, QualitySettings.KEY_OUTLIER_MIN_REFERENCE, QualitySettings.OUTLIER_MIN_REFERENCE_DEFAULT),
        doubleValue(v, QualitySettings.KEY_MAX_MW, QualitySettings.MAX_MW_DEFAULT),
        doubleValue(v, QualitySettings.KEY_MAX_JUMP_RATIO, QualitySettings.MAX_JUMP_RATIO_DEFAULT),
        policies);
  }

  private static boolean booleanValue(Map<String, Object> v, String key, boolean fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
  }

  /** Reads a YAML file into dotted keys; lists stay lists. */
  static Map<String, Object> readYaml(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      Map<String, Object> flat = new TreeMap<>();
      if (root != null && !root.isNull()) {
        if (!root.isObject()) {
          throw new IllegalArgumentException("config file " + file + " must hold a mapping of keys");
        }
        flatten("", root, flat);
      }
      return flat;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key, value, out);
      } else if (value.isArray()) {
        List<Object> list = new ArrayList<>();
        value.forEach(item -> list.add(scalar(item)));
        out.put(key, list);
      } else if (!value.isNull()) {
        out.put(key, scalar(value));
      }
    }
  }

  private static Object scalar(JsonNode node) {
    if (node.isInt() || node.isLong()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static void putIfSet(Map<String, Object> values, String key, Object value) {
    if (value != null && !(value instanceof String s && s.isBlank())) {
      values.put(key, value);
    }
  }

  private static int intValue(Map<String, Object> v, String key, int fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return value instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
    }
  }

  private static double doubleValue(Map<String, Object> v, String key, double fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
    }
  }

  private static boolean boolValue(Map<String, Object> v, String key, boolean fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private static List<String> stringList(Map<String, Object> v, String key, List<String> fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    List<Object> items = value instanceof List<?> list ? new ArrayList<>(list)
        : List.of((Object[]) value.toString().split(","));
    return items.stream().map(item -> item.toString().trim()).filter(item -> !item.isEmpty()).toList();
  }

  private static List<Double> doubleList(Map<String, Object> v, String key, List<Double> fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    List<Double> out = new ArrayList<>();
    for (String item : stringList(v, key, List.of())) {
      try {
        out.add(Double.parseDouble(item.replace("[", "").replace("]", "").trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a list of numbers, got '" + value + "'");
      }
    }
    return out;
  }

  private static LocalDate dateValue(Map<String, Object> v, String key, LocalDate fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value.toString().trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be a date yyyy-MM-dd, got '" + value + "'");
    }
  }

  private static List<Integer> intList(Map<String, Object> v, String key, List<Integer> fallback) {
    Object value = v.get(key);
    if (value == null) {
      return fallback;
    }
    List<Object> items = value instanceof List<?> list ? new ArrayList<>(list)
        : List.of((Object[]) value.toString().split(","));
    List<Integer> out = new ArrayList<>();
    for (Object item : items) {
      try {
        out.add(item instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(item.toString().trim()));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException(key + " must be a list of whole numbers, got '" + value + "'");
      }
    }
    return out;
  }
}
