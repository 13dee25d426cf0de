package io.nowcast.features.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which features to build: grid step, load lags, load deltas, rolling windows, forecast horizons and
 * weather deltas, all in minutes of real time, and the stage groups that are on. Lags, deltas,
 * windows and horizons must be whole multiples of the step. The shipped {@code conf/features.yaml}
 * states {@link #defaults()} (read it with {@link FeatureSpecFile}).
 *
 * @param deltaMinutes {@code load_delta_<k>m = load_now − load k minutes earlier}
 * @param weatherDeltaMinutes {@code temp_delta_<k>m = temp_c now − temp_c k minutes earlier}
 * @param groups the stage groups that are on (grid, {@code load_now} and targets always are)
 */
public record FeatureSpec(
    int stepMinutes,
    List<Integer> lagMinutes,
    List<Integer> windowMinutes,
    List<Integer> horizons,
    List<Integer> deltaMinutes,
    List<Integer> weatherDeltaMinutes,
    Set<FeatureGroup> groups) {

  public static final int STEP_DEFAULT = 5;
  public static final List<Integer> HORIZONS_DEFAULT = List.of(15, 30, 45, 60);
  public static final List<Integer> WINDOWS_DEFAULT = List.of(15, 60, 1440, 10080);
  /** The ramp over one step, and the change against the same time yesterday and last week. */
  public static final List<Integer> DELTAS_DEFAULT = List.of(5, 1440, 10080);
  public static final List<Integer> WEATHER_DELTAS_DEFAULT = List.of(60, 120, 180);
  /** Every group except {@link FeatureGroup#WEATHER_AT_TARGET_ACTUAL}, which must be asked for. */
  public static final Set<FeatureGroup> GROUPS_DEFAULT =
      Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(FeatureGroup.WEATHER_AT_TARGET_ACTUAL)));

  public FeatureSpec {
    if (stepMinutes <= 0) {
      throw new IllegalArgumentException("features.step_minutes must be > 0, got " + stepMinutes);
    }
    lagMinutes = checked("features.lags_minutes", lagMinutes, stepMinutes);
    windowMinutes = checked("features.windows_minutes", windowMinutes, stepMinutes);
    horizons = checked("features.horizons_minutes", horizons, stepMinutes);
    deltaMinutes = checked("features.load_deltas.minutes", deltaMinutes, stepMinutes);
    weatherDeltaMinutes = checked("features.weather.deltas_minutes", weatherDeltaMinutes, stepMinutes);
    if (horizons.isEmpty()) {
      throw new IllegalArgumentException("features.horizons_minutes must name at least one horizon");
    }
    groups = groups == null || groups.isEmpty()
        ? Collections.unmodifiableSet(EnumSet.noneOf(FeatureGroup.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(groups));
    requires(groups, FeatureGroup.CALENDAR_AT_TARGET, FeatureGroup.CALENDAR);
    requires(groups, FeatureGroup.WEATHER_AT_TARGET_ACTUAL, FeatureGroup.WEATHER);
  }

  /**
   * A spec with the given step, lags, windows and horizons, the default groups, and the default
   * load and weather deltas that are multiples of the step.
   */
  public FeatureSpec(
      int stepMinutes, List<Integer> lagMinutes, List<Integer> windowMinutes, List<Integer> horizons) {
    this(
        stepMinutes, lagMinutes, windowMinutes, horizons,
        multiplesOf(DELTAS_DEFAULT, stepMinutes), multiplesOf(WEATHER_DELTAS_DEFAULT, stepMinutes),
        GROUPS_DEFAULT);
  }

  /**
   * The default spec: lags 5, 10, 15, 30, 60 minutes, 1 day and 1 week, plus, for each horizon h, the
   * load at the target time one day and one week earlier (lags 1 d − h and 1 w − h) — "what the same
   * ramp looked like yesterday", the strongest single signal for 15-60 minute nowcasts; rolling windows
   * of 15 min, 1 h, 1 d and 1 w; every group but weather-at-target actuals.
   */
  public static FeatureSpec defaults() {
    TreeSet<Integer> lags = new TreeSet<>(List.of(5, 10, 15, 30, 60, 1440, 10080));
    for (int horizon : HORIZONS_DEFAULT) {
      lags.add(1440 - horizon);
      lags.add(10080 - horizon);
    }
    return new FeatureSpec(
        STEP_DEFAULT, new ArrayList<>(lags), WINDOWS_DEFAULT, HORIZONS_DEFAULT, DELTAS_DEFAULT,
        WEATHER_DELTAS_DEFAULT, GROUPS_DEFAULT);
  }

  /** This spec with {@code groups} on instead of its own. */
  public FeatureSpec withGroups(Collection<FeatureGroup> newGroups) {
    return new FeatureSpec(
        stepMinutes, lagMinutes, windowMinutes, horizons, deltaMinutes, weatherDeltaMinutes,
        newGroups.isEmpty() ? EnumSet.noneOf(FeatureGroup.class) : EnumSet.copyOf(newGroups));
  }

  /** Whether {@code group} is on. */
  public boolean has(FeatureGroup group) {
    return groups.contains(group);
  }

  /** The number of grid steps in {@code minutes}. */
  public int steps(int minutes) {
    return minutes / stepMinutes;
  }

  /** The longest horizon, which is also the minimum gap between training and test data. */
  public int maxHorizon() {
    return horizons.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  static List<Integer> checked(String key, List<Integer> values, int step) {
    List<Integer> copy = List.copyOf(values == null ? List.of() : values);
    for (int value : copy) {
      if (value <= 0 || value % step != 0) {
        throw new IllegalArgumentException(
            key + " must hold positive multiples of " + step + " minutes, got " + value);
      }
    }
    return copy;
  }

  private static void requires(Set<FeatureGroup> groups, FeatureGroup group, FeatureGroup needed) {
    if (groups.contains(group) && !groups.contains(needed)) {
      throw new IllegalArgumentException(
          "features." + group.key() + " needs features." + needed.key() + " to be enabled");
    }
  }

  private static List<Integer> multiplesOf(List<Integer> values, int step) {
    return values.stream().filter(v -> v % step == 0).toList();
  }
}
