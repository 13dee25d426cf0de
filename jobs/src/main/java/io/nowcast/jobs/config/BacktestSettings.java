package io.nowcast.jobs.config;

import java.time.LocalDate;
import java.util.List;

/**
 * The rolling-origin backtest (and the results protocol): {@code folds} test windows over {@code
 * [testStart, testEnd)} (UTC dates), or, when those are unset, the last {@code folds × foldDays} days of
 * the data; each fold trains on everything before it minus {@code gapMinutes} (≥ the longest horizon,
 * checked when the plan is made). {@code models} are model type names; {@code series} the regions the
 * results table reports.
 */
public record BacktestSettings(int folds, int foldDays, LocalDate testStart, LocalDate testEnd, int gapMinutes,
    List<String> models, List<String> series) {
  public static final int FOLDS_DEFAULT = 3;
  public static final int FOLD_DAYS_DEFAULT = 7;
  public static final int GAP_MINUTES_DEFAULT = 60;
  public static final List<String> MODELS_DEFAULT =
      List.of("xgboost", "persistence", "seasonal_naive_day", "seasonal_naive_week");
  public static final List<String> SERIES_DEFAULT = List.of("NYISO", "N.Y.C.");

  public BacktestSettings {
    if (folds < 1) {
      throw new IllegalArgumentException("backtest.folds must be >= 1, got " + folds);
    }
    if (foldDays < 1) {
      throw new IllegalArgumentException("backtest.fold_days must be >= 1, got " + foldDays);
    }
    if ((testStart == null) != (testEnd == null)) {
      throw new IllegalArgumentException("backtest.test_start and backtest.test_end go together: set both or neither");
    }
    if (testStart != null && !testEnd.isAfter(testStart)) {
      throw new IllegalArgumentException(
          "backtest.test_end (" + testEnd + ") must be after backtest.test_start (" + testStart + ")");
    }
    models = List.copyOf(models);
    series = List.copyOf(series);
  }

  public static BacktestSettings defaults() {
    return new BacktestSettings(FOLDS_DEFAULT, FOLD_DAYS_DEFAULT, null, null, GAP_MINUTES_DEFAULT, MODELS_DEFAULT,
        SERIES_DEFAULT);
  }
}
