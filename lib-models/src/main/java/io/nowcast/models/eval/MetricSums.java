package io.nowcast.models.eval;

import org.apache.spark.sql.Row;

/**
 * Additive error sums of one model over some rows, so metrics of any union of groups (all regions, one
 * hour of day) come from the small per-group table without another pass over the data.
 */
final class MetricSums {
  long n;
  double absError;
  double squaredError;
  double absPercentError;
  double symmetricError;
  boolean hasReference;
  double referenceAbsError;
  long quantileRows;
  double pinball;
  long covered;

  static MetricSums of(Row row, String prefix, boolean withReference, boolean withQuantiles) {
    MetricSums s = new MetricSums();
    s.n = row.getLong(row.fieldIndex(prefix + "n"));
    s.absError = value(row, prefix + "ae");
    s.squaredError = value(row, prefix + "se");
    s.absPercentError = value(row, prefix + "ape");
    s.symmetricError = value(row, prefix + "sape");
    if (withReference) {
      s.hasReference = true;
      s.referenceAbsError = value(row, prefix + "refae");
    }
    if (withQuantiles) {
      s.quantileRows = row.getLong(row.fieldIndex(prefix + "qn"));
      s.pinball = value(row, prefix + "pinball");
      s.covered = row.getLong(row.fieldIndex(prefix + "covered"));
    }
    return s;
  }

  void add(MetricSums o) {
    n += o.n;
    absError += o.absError;
    squaredError += o.squaredError;
    absPercentError += o.absPercentError;
    symmetricError += o.symmetricError;
    hasReference |= o.hasReference;
    referenceAbsError += o.referenceAbsError;
    pinball += o.pinball;
    quantileRows += o.quantileRows;
    covered += o.covered;
  }

  HorizonMetrics metrics(String model, int horizon) {
    double mae = absError / n;
    double skill = !hasReference || referenceAbsError == 0
        ? Double.NaN : 1 - absError / referenceAbsError;
    return new HorizonMetrics(model, horizon, n, mae, Math.sqrt(squaredError / n), 100 * absPercentError / n,
        skill, 100 * symmetricError / n, quantileRows == 0 ? Double.NaN : pinball / quantileRows,
        quantileRows == 0 ? Double.NaN : (double) covered / quantileRows);
  }

  private static double value(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? 0.0 : row.getDouble(i);
  }
}
