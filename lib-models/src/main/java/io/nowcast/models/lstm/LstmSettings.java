package io.nowcast.models.lstm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to train the LSTM. Each component has a config key {@code lstm.<name>} (constants below) and a
 * default ({@link #defaults()}); {@link #fromConfig} reads the keys from a flat config map, so the
 * precedence (defaults &lt; conf file &lt; CLI) stays where the config is resolved.
 *
 * @param maxWindows the most training windows sampled (with Spark) and collected to the driver
 * @param epochs passes over the sample (training may stop earlier at the time budget)
 * @param hidden LSTM state size (also the width of the dense head)
 * @param layers stacked LSTM layers
 * @param lookbackSteps grid steps of past load in each window, including the load at issue time
 * @param batchSize windows per gradient step (and per inference batch)
 * @param learningRate Adam's learning rate
 * @param timeBudgetSeconds wall-clock budget of the training loop (sampling excluded); training stops
 *     after the batch that crosses it and keeps the best epoch seen so far
 * @param validationFraction the latest fraction (by issue time) of the sample held out to pick the
 *     best epoch; 0 keeps the last epoch
 * @param seed seed of the sample, the shuffling and the initial weights
 */
public record LstmSettings(
    int maxWindows,
    int epochs,
    int hidden,
    int layers,
    int lookbackSteps,
    int batchSize,
    double learningRate,
    double timeBudgetSeconds,
    double validationFraction,
    long seed) {

  public static final String MAX_WINDOWS = "lstm.max_windows";
  public static final String EPOCHS = "lstm.epochs";
  public static final String HIDDEN = "lstm.hidden";
  public static final String LAYERS = "lstm.layers";
  public static final String LOOKBACK_STEPS = "lstm.lookback_steps";
  public static final String BATCH_SIZE = "lstm.batch_size";
  public static final String LEARNING_RATE = "lstm.learning_rate";
  public static final String TIME_BUDGET_S = "lstm.time_budget_s";
  public static final String VALIDATION_FRACTION = "lstm.validation_fraction";
  public static final String SEED = "lstm.seed";

  /** Prefix under which the model-type registry passes per-type keys ({@code models.lstm.epochs}). */
  public static final String MODELS_PREFIX = "models.";

  /** Every config key of this record, in component order. */
  public static final List<String> KEYS = List.of(MAX_WINDOWS, EPOCHS, HIDDEN, LAYERS, LOOKBACK_STEPS,
      BATCH_SIZE, LEARNING_RATE, TIME_BUDGET_S, VALIDATION_FRACTION, SEED);

  public static final int MAX_WINDOWS_DEFAULT = 100_000;
  public static final int EPOCHS_DEFAULT = 20;
  public static final int HIDDEN_DEFAULT = 64;
  public static final int LAYERS_DEFAULT = 1;
  /** 24 steps of 5 minutes: the last two hours of load. */
  public static final int LOOKBACK_STEPS_DEFAULT = 24;
  public static final int BATCH_SIZE_DEFAULT = 256;
  public static final double LEARNING_RATE_DEFAULT = 0.002;
  public static final double TIME_BUDGET_S_DEFAULT = 300;
  public static final double VALIDATION_FRACTION_DEFAULT = 0.1;
  public static final long SEED_DEFAULT = 7;

  public LstmSettings {
    positive(MAX_WINDOWS, maxWindows);
    positive(EPOCHS, epochs);
    positive(HIDDEN, hidden);
    positive(LAYERS, layers);
    positive(LOOKBACK_STEPS, lookbackSteps);
    positive(BATCH_SIZE, batchSize);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(LEARNING_RATE + " must be > 0, got " + learningRate);
    }
    if (!(timeBudgetSeconds > 0) || Double.isInfinite(timeBudgetSeconds)) {
      throw new IllegalArgumentException(
          TIME_BUDGET_S + " must be a positive number of seconds, got " + timeBudgetSeconds);
    }
    if (!(validationFraction >= 0 && validationFraction < 0.5)) {
      throw new IllegalArgumentException(
          VALIDATION_FRACTION + " must be in [0, 0.5), got " + validationFraction);
    }
  }

  /** The defaults: 100k windows of 2 h, one 64-unit layer, 20 epochs within 5 minutes. */
  public static LstmSettings defaults() {
    return new LstmSettings(MAX_WINDOWS_DEFAULT, EPOCHS_DEFAULT, HIDDEN_DEFAULT, LAYERS_DEFAULT,
        LOOKBACK_STEPS_DEFAULT, BATCH_SIZE_DEFAULT, LEARNING_RATE_DEFAULT, TIME_BUDGET_S_DEFAULT,
        VALIDATION_FRACTION_DEFAULT, SEED_DEFAULT);
  }

  /**
   * Settings from a flat config map ({@code lstm.epochs → 20}, values as numbers or strings; the
   * registry's spelling {@code models.lstm.epochs} is read too, the short one wins); absent keys take
   * their defaults, other keys are ignored. A bad value fails naming its key.
   */
  public static LstmSettings fromConfig(Map<String, ?> config) {
    return new LstmSettings(
        intValue(config, MAX_WINDOWS, MAX_WINDOWS_DEFAULT),
        intValue(config, EPOCHS, EPOCHS_DEFAULT),
        intValue(config, HIDDEN, HIDDEN_DEFAULT),
        intValue(config, LAYERS, LAYERS_DEFAULT),
        intValue(config, LOOKBACK_STEPS, LOOKBACK_STEPS_DEFAULT),
        intValue(config, BATCH_SIZE, BATCH_SIZE_DEFAULT),
        doubleValue(config, LEARNING_RATE, LEARNING_RATE_DEFAULT),
        doubleValue(config, TIME_BUDGET_S, TIME_BUDGET_S_DEFAULT),
        doubleValue(config, VALIDATION_FRACTION, VALIDATION_FRACTION_DEFAULT),
        (long) doubleValue(config, SEED, SEED_DEFAULT));
  }

  /** The settings as config key → value strings (MLflow params, the saved model's config). */
  public Map<String, String> toConfig() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(MAX_WINDOWS, String.valueOf(maxWindows));
    out.put(EPOCHS, String.valueOf(epochs));
    out.put(HIDDEN, String.valueOf(hidden));
    out.put(LAYERS, String.valueOf(layers));
    out.put(LOOKBACK_STEPS, String.valueOf(lookbackSteps));
    out.put(BATCH_SIZE, String.valueOf(batchSize));
    out.put(LEARNING_RATE, String.valueOf(learningRate));
    out.put(TIME_BUDGET_S, String.valueOf(timeBudgetSeconds));
    out.put(VALIDATION_FRACTION, String.valueOf(validationFraction));
    out.put(SEED, String.valueOf(seed));
    return out;
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be >= 1, got " + value);
    }
  }

  private static int intValue(Map<String, ?> config, String key, int fallback) {
    double value = doubleValue(config, key, fallback);
    if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a whole number, got " + value);
    }
    return (int) value;
  }

  private static double doubleValue(Map<String, ?> config, String key, double fallback) {
    Object value = config.get(key);
    if (value == null) {
      // The registry's per-type spelling: models.lstm.epochs for lstm.epochs.
      String alias = MODELS_PREFIX + key;
      value = config.get(alias);
      if (value == null) {
        return fallback;
      }
      key = alias;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
    }
  }
}
