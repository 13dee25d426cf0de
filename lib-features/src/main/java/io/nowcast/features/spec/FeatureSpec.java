package io.nowcast.features.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which features to build: grid step, load lags, rolling windows and forecast horizons, all in minutes
 * of real time. Lags and windows must be whole multiples of the step; horizons too.
 */
public record FeatureSpec(
    int stepMinutes, List<Integer> lagMinutes, List<Integer> windowMinutes, List<Integer> horizons) {

  public static final int STEP_DEFAULT = 5;
  public static final List<Integer> HORIZONS_DEFAULT = List.of(15, 30, 45, 60);
  public static final List<Integer> WINDOWS_DEFAULT = List.of(60, 1440, 10080);

  public FeatureSpec {
    if (stepMinutes <= 0) {
      throw new IllegalArgumentException("features.step_minutes must be > 0, got " + stepMinutes);
    }
    lagMinutes = checked("features.lags_minutes", lagMinutes, stepMinutes);
    windowMinutes = checked("features.windows_minutes", windowMinutes, stepMinutes);
    horizons = checked("features.horizons_minutes", horizons, stepMinutes);
    if (horizons.isEmpty()) {
      throw new IllegalArgumentException("features.horizons_minutes must name at least one horizon");
    }
  }

  /**
   * The default spec: lags 5, 10, 15, 30, 60 minutes, 1 day and 1 week, plus, for each horizon h, the
   * load at the target time one day and one week earlier (lags 1 d − h and 1 w − h) — "what the same
   * ramp looked like yesterday", the strongest single signal for 15-60 minute nowcasts.
   */
  public static FeatureSpec defaults() {
    TreeSet<Integer> lags = new TreeSet<>(List.of(5, 10, 15, 30, 60, 1440, 10080));
    for (int horizon : HORIZONS_DEFAULT) {
      lags.add(1440 - horizon);
      lags.add(10080 - horizon);
    }
    return new FeatureSpec(STEP_DEFAULT, new ArrayList<>(lags), WINDOWS_DEFAULT, HORIZONS_DEFAULT);
  }

  /** The number of grid steps in {@code minutes}. */
  public int steps(int minutes) {
    return minutes / stepMinutes;
  }

  /** The longest horizon, which is also the minimum gap between training and test data. */
  public int maxHorizon() {
    return horizons.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  private static List<Integer> checked(String key, List<Integer> values, int step) {
    List<Integer> copy = List.copyOf(values == null ? List.of() : values);
    for (int value : copy) {
      if (value <= 0 || value % step != 0) {
        throw new IllegalArgumentException(
            key + " must hold positive multiples of " + step + " minutes, got " + value);
      }
    }
    return copy;
  }
}
