package io.nowcast.features;

import java.util.List;

/**
 * The features table (DESIGN §4): one row per region and issue time on the regular 5-minute grid,
 * feature columns, and the targets {@code y_h15 … y_h60}. Partitioned by {@link #MONTH}.
 */
public final class FeatureTable {
  public static final String REGION = "region";
  /** The time the forecast is made; every feature uses only data at or before it. */
  public static final String ISSUE_TS = "issue_ts";
  /** Partition column {@code yyyy-MM} of {@link #ISSUE_TS}. */
  public static final String MONTH = "month";
  /** Load at issue time (the persistence forecast); null where the grid has a gap. */
  public static final String LOAD_NOW = "load_now";
  /** 1 where the load at issue time is missing from the raw data, else 0. */
  public static final String IS_MISSING = "is_missing";
  /** Relative path of the table under the data root. */
  public static final String PATH = "features";

  private FeatureTable() {}

  /** Name of the load lag feature {@code minutes} before issue time. */
  public static String lag(int minutes) {
    return "load_lag_" + minutes + "m";
  }

  /** Name of the rolling mean over the {@code minutes} ending at issue time. */
  public static String rollingMean(int minutes) {
    return "load_mean_" + minutes + "m";
  }

  /** Name of the rolling standard deviation over the {@code minutes} ending at issue time. */
  public static String rollingStd(int minutes) {
    return "load_std_" + minutes + "m";
  }

  /** Name of the rolling minimum over the {@code minutes} ending at issue time. */
  public static String rollingMin(int minutes) {
    return "load_min_" + minutes + "m";
  }

  /** Name of the rolling maximum over the {@code minutes} ending at issue time. */
  public static String rollingMax(int minutes) {
    return "load_max_" + minutes + "m";
  }

  /**
   * Name of the load change over the last {@code minutes}: {@code load_now} minus the load {@code
   * minutes} before issue time (5: the ramp; 1440: against the same time yesterday; 10080: last week).
   */
  public static String delta(int minutes) {
    return "load_delta_" + minutes + "m";
  }

  /** Name of the target: load {@code horizonMinutes} after issue time. */
  public static String target(int horizonMinutes) {
    return "y_h" + horizonMinutes;
  }

  /** Names of the targets of {@code horizons}. */
  public static List<String> targets(List<Integer> horizons) {
    return horizons.stream().map(FeatureTable::target).toList();
  }
}
