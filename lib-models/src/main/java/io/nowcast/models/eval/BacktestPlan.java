package io.nowcast.models.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The folds of a rolling-origin backtest: consecutive test windows; each fold trains on every issue
 * time before its test window minus the gap (an expanding window), so no training target — at most
 * the longest horizon ahead — lies inside the test window.
 *
 * @param folds number of test windows
 * @param testStart start of the first test window
 * @param testEnd end (exclusive) of the last test window
 * @param gap time between the last training issue time and the test window; at least the longest horizon
 */
public record BacktestPlan(int folds, Instant testStart, Instant testEnd, Duration gap) {
  /** One fold: train on issue times before {@code trainEnd}, test on {@code [testStart, testEnd)}. */
  public record Fold(int index, Instant trainEnd, Instant testStart, Instant testEnd) {}

  public BacktestPlan {
    if (folds < 1) {
      throw new IllegalArgumentException("backtest.folds must be >= 1, got " + folds);
    }
    if (!testEnd.isAfter(testStart)) {
      throw new IllegalArgumentException("backtest test period is empty: " + testStart + " .. " + testEnd);
    }
  }

  /**
   * A plan whose gap is checked against the longest horizon.
   *
   * @throws IllegalArgumentException when {@code gapMinutes} is shorter than {@code maxHorizonMinutes}
   */
  public static BacktestPlan of(int folds, Instant testStart, Instant testEnd, int gapMinutes,
      int maxHorizonMinutes) {
    if (gapMinutes < maxHorizonMinutes) {
      throw new IllegalArgumentException("backtest.gap_minutes must be >= the longest horizon ("
          + maxHorizonMinutes + " min), got " + gapMinutes
          + ": training targets would fall inside the test window");
    }
    return new BacktestPlan(folds, testStart, testEnd, Duration.ofMinutes(gapMinutes));
  }

  /** The folds: the test period cut into {@code folds} windows of equal length (whole minutes). */
  public List<Fold> foldList() {
    long minutes = Duration.between(testStart, testEnd).toMinutes();
    List<Fold> out = new ArrayList<>();
    for (int i = 0; i < folds; i++) {
      Instant start = testStart.plus(Duration.ofMinutes(minutes * i / folds));
      Instant end = i == folds - 1 ? testEnd : testStart.plus(Duration.ofMinutes(minutes * (i + 1) / folds));
      out.add(new Fold(i + 1, start.minus(gap), start, end));
    }
    return out;
  }
}
