package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the evaluation rows contain, from one small aggregation by region, horizon and model: the
 * models, horizons, each region's mean load and last target time. Lets the report resolve its defaults
 * and check its settings before the costlier work.
 */
record EvaluationOverview(
    List<String> models,
    List<Integer> horizons,
    Map<String, Double> meanActualMw,
    Map<String, Instant> lastTargetByRegionHorizon) {

  /** One Spark job; collects one row per region, horizon and model. */
  static EvaluationOverview of(Dataset<Row> usable) {
    TreeSet<String> models = new TreeSet<>();
    TreeSet<Integer> horizons = new TreeSet<>();
    Map<String, double[]> sums = new HashMap<>();
    Map<String, Instant> last = new HashMap<>();
    for (Row r : usable
        .groupBy(EvaluationRows.REGION, EvaluationRows.HORIZON_MIN, EvaluationRows.MODEL)
        .agg(count(lit(1)), sum(col(EvaluationRows.ACTUAL)), max(col(EvaluationRows.TARGET_TS)))
        .collectAsList()) {
      String region = r.getString(0);
      int horizon = r.getInt(1);
      models.add(r.getString(2));
      horizons.add(horizon);
      double[] acc = sums.computeIfAbsent(region, k -> new double[2]);
      acc[0] += r.getDouble(4);
      acc[1] += r.getLong(3);
      last.merge(key(region, horizon), SampleWeek.instant(r.get(5)), (a, b) -> a.isAfter(b) ? a : b);
    }
    Map<String, Double> means = new HashMap<>();
    sums.forEach((region, acc) -> means.put(region, acc[0] / acc[1]));
    return new EvaluationOverview(List.copyOf(models), List.copyOf(horizons), Map.copyOf(means), Map.copyOf(last));
  }

  /** The region with the largest mean actual load (the system total where there is one); ties by name. */
  String largestRegion() {
    return meanActualMw.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no regions"));
  }

  List<String> regions() {
    return new ArrayList<>(new TreeSet<>(meanActualMw.keySet()));
  }

  /** Start of the 7 days that end with the region's last target time at the horizon (inclusive). */
  Instant lastWeekStart(String region, int horizonMin) {
    Instant lastTarget = lastTargetByRegionHorizon.get(key(region, horizonMin));
    if (lastTarget == null) {
      throw new IllegalArgumentException("no evaluation rows for region " + region + " at horizon " + horizonMin
          + " min; regions: " + regions() + ", horizons: " + horizons);
    }
    return lastTarget.minus(Duration.ofDays(7)).plusSeconds(1);
  }

  private static String key(String region, int horizon) {
    return region + "\u0000" + horizon;
  }
}
