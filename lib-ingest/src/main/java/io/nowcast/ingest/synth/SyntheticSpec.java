package io.nowcast.ingest.synth;

import java.time.LocalDate;

/**
 * What the synthetic generator makes: {@code regions} regions of 5-minute load with hourly weather,
 * {@code days} days from {@code start} (UTC midnight). The same spec always yields the same rows.
 */
public record SyntheticSpec(int regions, LocalDate start, int days, long seed) {
  public static final int REGIONS_DEFAULT = 3;
  public static final LocalDate START_DEFAULT = LocalDate.of(2023, 5, 1);
  public static final int DAYS_DEFAULT = 120;
  public static final long SEED_DEFAULT = 42L;

  public SyntheticSpec {
    if (regions < 1 || regions > 1000) {
      throw new IllegalArgumentException("synthetic regions must be 1..1000, got " + regions);
    }
    if (days < 1 || days > 36_600) {
      throw new IllegalArgumentException("synthetic days must be 1..36600, got " + days);
    }
  }

  /** The defaults of the demo: 3 regions, 120 days from 2023-05-01, seed 42. */
  public static SyntheticSpec defaults() {
    return new SyntheticSpec(REGIONS_DEFAULT, START_DEFAULT, DAYS_DEFAULT, SEED_DEFAULT);
  }
}
