package io.nowcast.ingest.quality;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the stage does with a region-day that fails a check. */
public enum QualityPolicy {
  /** The run stops with a {@link DataQualityException} naming region, day, check and value. */
  FAIL("fail"),
  /**
   * The bad readings become missing and gaps of at most {@code quality.max_gap_minutes} are filled by
   * linear interpolation; longer gaps stay missing. For duplicates: one row per instant is kept.
   */
  REPAIR("repair"),
  /** Every row of the region's UTC day is removed (counted in the report). */
  DROP_DAY("drop_day"),
  /** Counted in the report and logged; the rows pass unchanged. */
  WARN("warn");

  private final String key;

  QualityPolicy(String key) {
    this.key = key;
  }

  /** The name used in config files ({@code fail}, {@code repair}, {@code drop_day}, {@code warn}). */
  public String key() {
    return key;
  }

  /** Parses a config value; the message names {@code configKey} and the allowed values. */
  public static QualityPolicy parse(String value, String configKey) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (QualityPolicy policy : values()) {
      if (policy.key.equals(wanted)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(configKey + " must be one of "
        + Arrays.stream(values()).map(QualityPolicy::key).collect(Collectors.joining(", "))
        + ", got '" + value + "'");
  }
}
