package io.nowcast.serve.model;

import io.nowcast.models.tracking.NowcastBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle's {@code interval_calibration} applied to one row's sorted relative quantiles, exactly as
 * the batch model does it (lib-models {@code XgbNowcastModel}): the lower level of each calibrated pair
 * moves down by the margin of the row's region and horizon (the pooled {@code "*"} margin for other
 * regions, none without either), the upper level up, neither past the P50; then sorted again.
 */
public final class CalibratedBands {
  private static final String POOLED = "*";

  private final Map<String, Double> margins = new HashMap<>();
  private final List<int[]> pairs = new ArrayList<>();
  private final int median;

  /** For {@code bundle}, whose predictions come out in ascending {@code levels}. */
  public CalibratedBands(NowcastBundle bundle, double[] levels) {
    for (NowcastBundle.IntervalMargin m : bundle.intervalMargins()) {
      margins.put(key(m.horizon(), m.lower(), m.region()), m.margin());
    }
    this.median = Arrays.binarySearch(levels, 0.5);
    for (int lower = 0; lower < levels.length; lower++) {
      int upper = Arrays.binarySearch(levels, NowcastBundle.pairedUpperLevel(levels[lower]));
      if (levels[lower] < 0.5 && upper >= 0) {
        pairs.add(new int[] {lower, upper});
      }
    }
  }

  /** Whether there is anything to apply. */
  public boolean isEmpty() {
    return margins.isEmpty() || median < 0;
  }

  /** Calibrates {@code sorted} (one row, ascending levels) in place. */
  public void apply(double[] sorted, double[] levels, int horizon, String region) {
    if (isEmpty()) {
      return;
    }
    double p50 = sorted[median];
    for (int[] pair : pairs) {
      Double margin = margins.get(key(horizon, levels[pair[0]], region));
      if (margin == null) {
        margin = margins.getOrDefault(key(horizon, levels[pair[0]], POOLED), 0.0);
      }
      sorted[pair[0]] = Math.min(sorted[pair[0]] - margin, p50);
      sorted[pair[1]] = Math.max(sorted[pair[1]] + margin, p50);
    }
    Arrays.sort(sorted);
  }

  private static String key(int horizon, double lower, String region) {
    return horizon + "|" + lower + "|" + region;
  }
}
