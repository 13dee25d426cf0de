package io.nowcast.models.report;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Point-forecast error of each model at each horizon: MAE (MW) and MAPE (%). */
public record ErrorByHorizon(List<Entry> entries) {

  /**
   * @param count rows scored
   * @param maeMw mean absolute error of P50, MW
   * @param mapePct mean absolute percentage error of P50 over rows with a positive actual, %
   */
  public record Entry(String model, int horizonMin, long count, double maeMw, double mapePct) {}

  public ErrorByHorizon {
    entries = entries.stream()
        .sorted(Comparator.comparing(Entry::model).thenComparingInt(Entry::horizonMin))
        .toList();
  }

  /**
   * Aggregates evaluation rows (see {@link EvaluationRows}) in Spark; collects one row per model and
   * horizon.
   */
  public static ErrorByHorizon compute(Dataset<Row> rows) {
    List<Entry> entries = new ArrayList<>();
    for (Row r : EvaluationRows.usable(rows)
        .groupBy(EvaluationRows.MODEL, EvaluationRows.HORIZON_MIN)
        .agg(count(lit(1)), avg(absoluteError()), avg(absolutePercentError()))
        .collectAsList()) {
      entries.add(new Entry(r.getString(0), r.getInt(1), r.getLong(2), r.getDouble(3), orNaN(r, 4)));
    }
    return new ErrorByHorizon(entries);
  }

  public List<String> models() {
    return List.copyOf(new TreeSet<>(entries.stream().map(Entry::model).toList()));
  }

  public List<Integer> horizons() {
    return List.copyOf(new TreeSet<>(entries.stream().map(Entry::horizonMin).toList()));
  }

  public Optional<Entry> get(String model, int horizonMin) {
    return entries.stream().filter(e -> e.model().equals(model) && e.horizonMin() == horizonMin).findFirst();
  }

  static Column absoluteError() {
    return abs(EvaluationRows.residual());
  }

  /** Null (skipped by avg) where the actual is not positive: a percentage of 0 MW means nothing. */
  static Column absolutePercentError() {
    Column actual = col(EvaluationRows.ACTUAL);
    return when(actual.gt(0), abs(EvaluationRows.residual()).divide(actual).multiply(100));
  }

  static double orNaN(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
