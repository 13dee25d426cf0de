package io.nowcast.jobs.config;

/**
 * The holdout: the last {@code testDays} days are scored; training stops {@code gapMinutes} (at least
 * the longest horizon) before them.
 */
public record EvaluationSettings(int testDays, int gapMinutes) {
  public static final int TEST_DAYS_DEFAULT = 14;
  public static final int GAP_MINUTES_DEFAULT = 60;

  public EvaluationSettings {
    if (testDays < 1) {
      throw new IllegalArgumentException("evaluate.test_days must be >= 1, got " + testDays);
    }
    if (gapMinutes < 0) {
      throw new IllegalArgumentException("evaluate.gap_minutes must be >= 0, got " + gapMinutes);
    }
  }
}
