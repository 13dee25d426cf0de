package io.nowcast.models.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The top features of a model by an importance score (for XGBoost: gain, from {@code
 * Booster.getScore("", "gain")}), with each score's share of the sum over all features.
 *
 * @param kind what the score is, for the axis label (e.g. {@code "gain"})
 * @param top the {@code topN} highest scores, highest first (ties by name)
 * @param featureCount how many features had a score
 */
public record FeatureImportance(String kind, List<Entry> top, int featureCount) {

  /** @param sharePct the score as a percentage of the sum of all features' scores */
  public record Entry(String feature, double score, double sharePct) {}

  public FeatureImportance {
    top = List.copyOf(top);
  }

  /**
   * Keeps the {@code topN} highest of {@code scores}.
   *
   * @throws IllegalArgumentException on a negative or non-finite score, naming the feature
   */
  public static FeatureImportance of(String kind, Map<String, Double> scores, int topN) {
    if (topN < 1) {
      throw new IllegalArgumentException("top features must be >= 1, got " + topN);
    }
    double sum = 0;
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      Double v = e.getValue();
      if (v == null || !Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("importance of feature " + e.getKey() + " must be a finite number >= 0, got " + v);
      }
      sum += v;
    }
    double total = sum;
    List<Entry> top = scores.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(topN)
        .map(e -> new Entry(e.getKey(), e.getValue(), total > 0 ? 100 * e.getValue() / total : 0))
        .toList();
    return new FeatureImportance(kind, top, scores.size());
  }
}
