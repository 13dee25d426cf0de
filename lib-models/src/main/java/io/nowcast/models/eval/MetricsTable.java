package io.nowcast.models.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders metrics as a plain-text table and as MLflow metric names ({@code mae_h15}, …). */
public final class MetricsTable {
  private MetricsTable() {}

  /** A fixed-width table, one line per model and horizon. */
  public static String render(List<HorizonMetrics> metrics) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-22s %7s %9s %10s %10s %8s %8s %8s %10s %9s%n",
        "model", "horizon", "rows", "MAE (MW)", "RMSE (MW)", "MAPE %", "sMAPE %", "skill", "pinball", "P10-P90"));
    for (HorizonMetrics m : metrics) {
      out.append(String.format(Locale.ROOT, "%-22s %5dm %9d %10.2f %10.2f %8.3f %8.3f %8s %10s %9s%n",
          m.model(), m.horizon(), m.count(), m.mae(), m.rmse(), m.mape(), m.smape(),
          Double.isNaN(m.skill()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * m.skill()),
          Double.isNaN(m.pinball()) ? "-" : String.format(Locale.ROOT, "%.2f", m.pinball()),
          Double.isNaN(m.coverage()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * m.coverage())));
    }
    return out.toString();
  }

  /**
   * MLflow metrics of one model: {@code mae_h15, rmse_h15, mape_h15, smape_h15, skill_h15,
   * pinball_h15, coverage_h15, …} (DESIGN §8); metrics that do not apply are left out.
   */
  public static Map<String, Double> mlflowMetrics(List<HorizonMetrics> metrics, String model) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (HorizonMetrics m : metrics) {
      if (!m.model().equals(model)) {
        continue;
      }
      out.put("mae_h" + m.horizon(), m.mae());
      out.put("rmse_h" + m.horizon(), m.rmse());
      out.put("mape_h" + m.horizon(), m.mape());
      putIf(out, "smape_h" + m.horizon(), m.smape());
      putIf(out, "skill_h" + m.horizon(), m.skill());
      putIf(out, "pinball_h" + m.horizon(), m.pinball());
      putIf(out, "coverage_h" + m.horizon(), m.coverage());
    }
    return out;
  }

  private static void putIf(Map<String, Double> out, String key, double value) {
    if (!Double.isNaN(value)) {
      out.put(key, value);
    }
  }
}
