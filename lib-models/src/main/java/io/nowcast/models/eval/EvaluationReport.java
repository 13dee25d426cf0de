package io.nowcast.models.eval;

import java.util.List;

/** Metrics per model and horizon overall, and per region and per hour of day. */
public record EvaluationReport(List<HorizonMetrics> overall, List<SliceMetrics> slices) {
  public EvaluationReport {
    overall = List.copyOf(overall);
    slices = List.copyOf(slices);
  }
}
