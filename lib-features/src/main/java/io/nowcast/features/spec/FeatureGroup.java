package io.nowcast.features.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The stage groups a feature spec switches on or off, by the name the spec file uses for them. The
 * regular grid, {@code load_now} and the targets are always built; every other feature column belongs
 * to exactly one group. {@code io.nowcast.features.FeatureBuilder} maps each group to
 * its stage.
 */
public enum FeatureGroup {
  /** {@code load_lag_<k>m} (LoadLagStage). */
  LOAD_LAGS,
  /** {@code load_delta_<k>m} = load_now − load k minutes earlier (LoadDeltaStage). */
  LOAD_DELTAS,
  /** {@code load_mean_<w>m}, {@code load_std_<w>m} (RollingStatsStage). */
  ROLLING_STATS,
  /** {@code load_min_<w>m}, {@code load_max_<w>m} (RollingExtremaStage). */
  ROLLING_EXTREMA,
  /** Calendar at issue time and holiday distances (CalendarStage). */
  CALENDAR,
  /** Calendar at the target time of each horizon, {@code cal_*_h<h>} (CalendarStage); needs CALENDAR. */
  CALENDAR_AT_TARGET,
  /** Weather deltas, degree days, temperature², humidity × temperature (WeatherFeatureStage). */
  WEATHER,
  /**
   * Actual weather at the target time as a stand-in for a weather forecast, {@code
   * *_at_target_actual} (WeatherFeatureStage); needs WEATHER. Off by default: it reads observations
   * after issue time, so runs using it never produce headline metrics.
   */
  WEATHER_AT_TARGET_ACTUAL;

  /** The group's name in the spec file, e.g. {@code rolling_extrema}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The group named {@code key} in the spec file, if any. */
  public static Optional<FeatureGroup> byKey(String key) {
    return Arrays.stream(values()).filter(g -> g.key().equals(key)).findFirst();
  }
}
