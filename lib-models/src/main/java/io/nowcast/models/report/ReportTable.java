package io.nowcast.models.report;

import io.nowcast.models.eval.HorizonMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table for the HTML report: a caption, a header and rows of already formatted cells. Kept as plain
 * strings so any metrics (pinball loss, coverage, per-fold times) can be shown without this package
 * knowing them.
 */
public record ReportTable(String caption, List<String> header, List<List<String>> rows) {

  public ReportTable {
    header = List.copyOf(header);
    if (header.isEmpty()) {
      throw new IllegalArgumentException("table '" + caption + "' needs at least one column");
    }
    List<List<String>> copy = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = rows.get(i);
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("table '" + caption + "' row " + i + " has " + row.size()
            + " cells, the header " + header.size());
      }
      // Null cells are allowed (shown empty); List.copyOf would refuse them.
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = List.copyOf(copy);
  }

  /** The evaluator's metrics, one row per model and horizon (MAE, RMSE in MW; MAPE, skill in %). */
  public static ReportTable of(List<HorizonMetrics> metrics) {
    List<List<String>> rows = new ArrayList<>();
    for (HorizonMetrics m : metrics) {
      rows.add(List.of(m.model(), Integer.toString(m.horizon()), Long.toString(m.count()),
          number(m.mae(), 2), number(m.rmse(), 2), number(m.mape(), 3),
          Double.isNaN(m.skill()) ? "" : number(100 * m.skill(), 1)));
    }
    return new ReportTable("Accuracy by model and horizon",
        List.of("model", "horizon (min)", "rows", "MAE (MW)", "RMSE (MW)", "MAPE (%)", "skill over persistence (%)"),
        rows);
  }

  private static String number(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : Double.toString(v);
  }
}
