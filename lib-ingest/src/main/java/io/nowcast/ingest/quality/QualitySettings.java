package io.nowcast.ingest.quality;

import java.util.EnumMap;
import java.util.Map;

/**
 * The thresholds and policies of the data-quality stage (config keys {@code quality.*}). Every setting
 * has a {@code _DEFAULT} twin; the constructor rejects bad values with a message naming the key.
 *
 * @param enabled whether the stage runs at all ({@code quality.enabled})
 * @param stepMinutes the grid step of the raw load (5 for NYISO/CAISO; {@code features.step_minutes})
 * @param maxGapMinutes repair fills gaps of at most this many minutes of missing instants by linear
 *     interpolation between the readings on both sides; longer gaps stay missing (< 1440)
 * @param completenessMinRatio a UTC day with a smaller share of its expected instants fails
 * @param flatlineMinHours consecutive identical readings spanning at least this long are a flatline
 * @param outlierWeeks K: the reference of a reading is the same local hour and weekday in the K weeks before
 * @param outlierThreshold a reading with |0.6745 (x − median) / MAD| above this is an outlier
 * @param outlierMinReference fewer reference readings than this (e.g. in the first weeks): no outlier test
 * @param maxMw loads above this are impossible
 * @param maxJumpRatio a reading differing from each adjacent reading by more than this share of that
 *     reading (a one-reading spike or dip) is impossible
 * @param policies the policy of every check
 */
public record QualitySettings(
    boolean enabled,
    int stepMinutes,
    int maxGapMinutes,
    double completenessMinRatio,
    double flatlineMinHours,
    int outlierWeeks,
    double outlierThreshold,
    int outlierMinReference,
    double maxMw,
    double maxJumpRatio,
    Map<QualityCheck, QualityPolicy> policies) {

  public static final String KEY_ENABLED = "quality.enabled";
  public static final String KEY_MAX_GAP_MINUTES = "quality.max_gap_minutes";
  public static final String KEY_COMPLETENESS_MIN_RATIO = "quality.completeness.min_ratio";
  public static final String KEY_FLATLINE_MIN_HOURS = "quality.flatline.min_hours";
  public static final String KEY_OUTLIER_WEEKS = "quality.outliers.weeks";
  public static final String KEY_OUTLIER_THRESHOLD = "quality.outliers.threshold";
  public static final String KEY_OUTLIER_MIN_REFERENCE = "quality.outliers.min_reference";
  public static final String KEY_MAX_MW = "quality.impossible.max_mw";
  public static final String KEY_MAX_JUMP_RATIO = "quality.impossible.max_jump_ratio";

  public static final boolean ENABLED_DEFAULT = true;
  public static final int STEP_MINUTES_DEFAULT = 5;
  public static final int MAX_GAP_MINUTES_DEFAULT = 30;
  public static final double COMPLETENESS_MIN_RATIO_DEFAULT = 0.9;
  public static final double FLATLINE_MIN_HOURS_DEFAULT = 2.0;
  public static final int OUTLIER_WEEKS_DEFAULT = 4;
  public static final double OUTLIER_THRESHOLD_DEFAULT = 8.0;
  public static final int OUTLIER_MIN_REFERENCE_DEFAULT = 24;
  public static final double MAX_MW_DEFAULT = 100_000.0;
  public static final double MAX_JUMP_RATIO_DEFAULT = 0.5;
  /**
   * Repair what can be repaired without guessing (short gaps, duplicates, stuck meters and impossible
   * readings become missing); outliers only warn, because a robust z-score also flags genuine extremes
   * (heat waves, storms) that the model must see.
   */
  public static final Map<QualityCheck, QualityPolicy> POLICIES_DEFAULT =
      Map.of(
          QualityCheck.COMPLETENESS, QualityPolicy.REPAIR,
          QualityCheck.DUPLICATES, QualityPolicy.REPAIR,
          QualityCheck.FLATLINE, QualityPolicy.REPAIR,
          QualityCheck.OUTLIERS, QualityPolicy.WARN,
          QualityCheck.IMPOSSIBLE, QualityPolicy.REPAIR);

  public QualitySettings {
    positive(stepMinutes, "features.step_minutes");
    if (maxGapMinutes < 0 || maxGapMinutes >= 1440 || maxGapMinutes % stepMinutes != 0) {
      throw new IllegalArgumentException(KEY_MAX_GAP_MINUTES + " must be a multiple of " + stepMinutes
          + " in [0, 1440), got " + maxGapMinutes);
    }
    if (!(completenessMinRatio >= 0 && completenessMinRatio <= 1)) {
      throw new IllegalArgumentException(
          KEY_COMPLETENESS_MIN_RATIO + " must be in [0, 1], got " + completenessMinRatio);
    }
    if (!(flatlineMinHours > 0)) {
      throw new IllegalArgumentException(KEY_FLATLINE_MIN_HOURS + " must be > 0, got " + flatlineMinHours);
    }
    positive(outlierWeeks, KEY_OUTLIER_WEEKS);
    if (!(outlierThreshold > 0)) {
      throw new IllegalArgumentException(KEY_OUTLIER_THRESHOLD + " must be > 0, got " + outlierThreshold);
    }
    positive(outlierMinReference, KEY_OUTLIER_MIN_REFERENCE);
    if (!(maxMw > 0)) {
      throw new IllegalArgumentException(KEY_MAX_MW + " must be > 0, got " + maxMw);
    }
    if (!(maxJumpRatio > 0)) {
      throw new IllegalArgumentException(KEY_MAX_JUMP_RATIO + " must be > 0, got " + maxJumpRatio);
    }
    Map<QualityCheck, QualityPolicy> all = new EnumMap<>(POLICIES_DEFAULT);
    if (policies != null) {
      all.putAll(policies);
    }
    policies = Map.copyOf(all);
  }

  /** The defaults (the {@code quality:} section of conf/local.yaml written out). */
  public static QualitySettings defaults() {
    return new QualitySettings(ENABLED_DEFAULT, STEP_MINUTES_DEFAULT, MAX_GAP_MINUTES_DEFAULT,
        COMPLETENESS_MIN_RATIO_DEFAULT, FLATLINE_MIN_HOURS_DEFAULT, OUTLIER_WEEKS_DEFAULT,
        OUTLIER_THRESHOLD_DEFAULT, OUTLIER_MIN_REFERENCE_DEFAULT, MAX_MW_DEFAULT, MAX_JUMP_RATIO_DEFAULT,
        POLICIES_DEFAULT);
  }

  /** The config key of a check's policy, {@code quality.<check>.policy}. */
  public static String policyKey(QualityCheck check) {
    return "quality." + check.key() + ".policy";
  }

  public QualityPolicy policy(QualityCheck check) {
    return policies.get(check);
  }

  /** A copy with {@code check}'s policy replaced. */
  public QualitySettings withPolicy(QualityCheck check, QualityPolicy policy) {
    Map<QualityCheck, QualityPolicy> changed = new EnumMap<>(policies);
    changed.put(check, policy);
    return new QualitySettings(enabled, stepMinutes, maxGapMinutes, completenessMinRatio, flatlineMinHours,
        outlierWeeks, outlierThreshold, outlierMinReference, maxMw, maxJumpRatio, changed);
  }

  /** A copy with every policy set to {@code policy}. */
  public QualitySettings withAllPolicies(QualityPolicy policy) {
    Map<QualityCheck, QualityPolicy> changed = new EnumMap<>(QualityCheck.class);
    for (QualityCheck check : QualityCheck.values()) {
      changed.put(check, policy);
    }
    return new QualitySettings(enabled, stepMinutes, maxGapMinutes, completenessMinRatio, flatlineMinHours,
        outlierWeeks, outlierThreshold, outlierMinReference, maxMw, maxJumpRatio, changed);
  }

  /** Expected grid instants in a whole UTC day. */
  public int instantsPerDay() {
    return 1440 / stepMinutes;
  }

  private static void positive(int value, String key) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }
  }
}
