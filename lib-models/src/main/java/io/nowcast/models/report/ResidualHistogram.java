package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Histogram of the P50 residuals ({@code p50 − actual}, MW; positive = over-forecast) per model, binned
 * in Spark. Bin {@code i} holds residuals in {@code [i·width, (i+1)·width)}; residuals beyond the shown
 * range are counted in its first or last bin, so every row is counted once.
 *
 * @param firstBin index of the first bin shown; {@code lastBin} the last (inclusive)
 * @param bins the non-empty bins
 */
public record ResidualHistogram(
    OptionalInt horizonMin, double binWidthMw, long firstBin, long lastBin, List<Bin> bins) {

  /** More bins than this is a wrong width, not a picture. */
  public static final int MAX_BINS = 1000;
  /** Bins aimed at when the width is chosen automatically. */
  public static final int AUTO_BINS = 50;

  public record Bin(String model, long index, long count) {}

  public ResidualHistogram {
    bins = bins.stream()
        .sorted(Comparator.comparing(Bin::model).thenComparingLong(Bin::index))
        .toList();
  }

  /**
   * Bins with a width chosen from the data: a 1-2-5 step giving about {@link #AUTO_BINS} bins over the
   * central 99% of residuals (approximate percentiles), which is also the range shown.
   */
  public static ResidualHistogram compute(Dataset<Row> rows, OptionalInt horizonMin) {
    return compute(rows, horizonMin, OptionalDouble.empty());
  }

  /**
   * Bins of {@code binWidthMw} (or a width chosen as in {@link #compute(Dataset, OptionalInt)} when
   * empty) over the central 99% of residuals.
   */
  public static ResidualHistogram compute(Dataset<Row> rows, OptionalInt horizonMin, OptionalDouble binWidthMw) {
    Dataset<Row> usable = restrict(EvaluationRows.usable(rows), horizonMin);
    Row range = usable
        .agg(percentile_approx(EvaluationRows.residual(), functions.array(lit(0.005), lit(0.995)), lit(10000)))
        .first();
    if (range.isNullAt(0)) {
      throw new IllegalArgumentException("no residuals to bin: no rows with both p50 and "
          + EvaluationRows.ACTUAL + (horizonMin.isPresent() ? " at horizon " + horizonMin.getAsInt() : ""));
    }
    List<Double> bounds = range.getList(0);
    double low = bounds.get(0);
    double high = bounds.get(1);
    double width = binWidthMw.isPresent() ? binWidthMw.getAsDouble() : niceWidth((high - low) / AUTO_BINS);
    return bin(usable, horizonMin, width, low, high);
  }

  /**
   * Bins of {@code binWidthMw}, showing {@code [lowMw, highMw]}; residuals outside go to the edge bins.
   */
  public static ResidualHistogram compute(
      Dataset<Row> rows, OptionalInt horizonMin, double binWidthMw, double lowMw, double highMw) {
    return bin(restrict(EvaluationRows.usable(rows), horizonMin), horizonMin, binWidthMw, lowMw, highMw);
  }

  private static ResidualHistogram bin(
      Dataset<Row> usable, OptionalInt horizonMin, double width, double low, double high) {
    if (!(width > 0) || Double.isInfinite(width)) {
      throw new IllegalArgumentException("residual histogram bin width must be > 0 MW, got " + width);
    }
    if (!(low <= high)) {
      throw new IllegalArgumentException("residual histogram range is empty: [" + low + ", " + high + "] MW");
    }
    long first = (long) Math.floor(low / width);
    long last = (long) Math.floor(high / width);
    if (last - first + 1 > MAX_BINS) {
      throw new IllegalArgumentException("a bin width of " + width + " MW over [" + low + ", " + high
          + "] MW gives " + (last - first + 1) + " bins, over the limit of " + MAX_BINS);
    }
    Column index = least(greatest(floor(EvaluationRows.residual().divide(width)), lit(first)), lit(last));
    List<Bin> bins = new ArrayList<>();
    for (Row r : usable.groupBy(col(EvaluationRows.MODEL), index.as("bin")).agg(count(lit(1))).collectAsList()) {
      bins.add(new Bin(r.getString(0), r.getLong(1), r.getLong(2)));
    }
    return new ResidualHistogram(horizonMin, width, first, last, bins);
  }

  private static Dataset<Row> restrict(Dataset<Row> usable, OptionalInt horizonMin) {
    return horizonMin.isPresent()
        ? usable.where(col(EvaluationRows.HORIZON_MIN).equalTo(horizonMin.getAsInt()))
        : usable;
  }

  /** The smallest width of the form {1, 2, 5}·10^k that is at least {@code raw}. */
  static double niceWidth(double raw) {
    if (!(raw > 0) || Double.isInfinite(raw)) {
      return 1.0;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * magnitude >= raw * (1 - 1e-12)) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  public List<String> models() {
    return List.copyOf(new TreeSet<>(bins.stream().map(Bin::model).toList()));
  }

  /** Rows counted for {@code model}. */
  public long total(String model) {
    return bins.stream().filter(b -> b.model().equals(model)).mapToLong(Bin::count).sum();
  }

  /** Counts of {@code model} by bin index, every index from first to last bin (zeros included). */
  public long[] counts(String model) {
    long[] out = new long[(int) (lastBin - firstBin + 1)];
    Map<Long, Long> byIndex = new HashMap<>();
    bins.stream().filter(b -> b.model().equals(model)).forEach(b -> byIndex.put(b.index(), b.count()));
    for (int i = 0; i < out.length; i++) {
      out[i] = byIndex.getOrDefault(firstBin + i, 0L);
    }
    return out;
  }
}
