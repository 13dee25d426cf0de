package io.nowcast.models.xgb;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.models.tracking.NowcastBundle.IntervalMargin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Split-conformal calibration of the quantile intervals (conformalized quantile regression, Romano,
 * Patterson and Candès, NeurIPS 2019), per series and horizon. On calibration rows the boosters did not
 * train on, the conformity score of a row is {@code max(lower − y, y − upper) / load_now}; the margin
 * is that score's {@code hi − lo} quantile, and the calibrated interval is {@code [lower − margin ×
 * load_now, upper + margin × load_now]}. A negative margin narrows an interval that was too wide.
 *
 * <p>Why per series: one global booster over 12 series of very different noise (the NYISO total
 * averages out what single zones show) gave P10–P90 coverage of 92 % on the total and 79 % pooled over
 * 2019 (session 3, docs/results.md). The margin is in relative units, like the booster's target, so
 * one series' margin applies at any load level. A region without its own margin gets the pooled one.
 * The finite-sample correction {@code (1 + 1/n)} of split conformal is left out: each series has
 * thousands of calibration rows, where it changes the level by well under 0.1 %.
 */
public final class IntervalCalibration {
  /** The region key of the margin pooled over every calibration row of a horizon and pair. */
  public static final String POOLED = "*";

  // One margin per horizon, interval and region (or POOLED): the bundle's record, so the margins the
  // batch model applies and the ones the server reads are the same values with no conversion.
  private final List<IntervalMargin> margins;

  private IntervalCalibration(List<IntervalMargin> margins) {
    this.margins = List.copyOf(margins);
  }

  /** No calibration: intervals as the boosters give them. */
  public static IntervalCalibration none() {
    return new IntervalCalibration(List.of());
  }

  /** The fitted margins, as the bundle stores them. */
  public List<IntervalMargin> margins() {
    return margins;
  }

  public boolean isEmpty() {
    return margins.isEmpty();
  }

  /** The symmetric pairs of {@code levels} below and above 0.5, e.g. (0.1, 0.9). */
  static List<double[]> pairs(List<Double> levels) {
    List<double[]> pairs = new ArrayList<>();
    for (double lower : levels) {
      double upper = NowcastBundle.pairedUpperLevel(lower);
      if (lower < 0.5 && levels.contains(upper)) {
        pairs.add(new double[] {lower, upper});
      }
    }
    return pairs;
  }

  /**
   * Fits the margins on {@code predicted}: calibration rows with the uncalibrated forecasts of
   * {@code model} and the targets. Aggregates only (one row per region, horizon and pair reaches the
   * driver).
   */
  static IntervalCalibration fit(Dataset<Row> predicted, String model, List<Integer> horizons,
      List<Double> levels) {
    List<IntervalMargin> margins = new ArrayList<>();
    for (int horizon : horizons) {
      for (double[] pair : pairs(levels)) {
        Column base = col(FeatureTable.LOAD_NOW);
        Column y = col(FeatureTable.target(horizon));
        Column lowerMw = col(ForecastModel.quantileColumn(model, horizon, pair[0]));
        Column upperMw = col(ForecastModel.quantileColumn(model, horizon, pair[1]));
        Column score = greatest(lowerMw.minus(y), y.minus(upperMw)).divide(base);
        Dataset<Row> scored = predicted.where(y.isNotNull().and(base.gt(0)))
            .select(col(FeatureTable.REGION), score.as("score"));
        double level = pair[1] - pair[0];
        Column quantile = percentile_approx(col("score"), lit(level), lit(10_000)).as("margin");
        for (Row row : scored.groupBy(FeatureTable.REGION).agg(quantile, count(lit(1)).as("n"))
            .collectAsList()) {
          margins.add(new IntervalMargin(horizon, pair[0], pair[1], row.getString(0), row.getDouble(1),
              row.getLong(2)));
        }
        Row pooled = scored.agg(quantile, count(lit(1)).as("n")).first();
        if (!pooled.isNullAt(0)) {
          margins.add(new IntervalMargin(horizon, pair[0], pair[1], POOLED, pooled.getDouble(0), pooled.getLong(1)));
        }
      }
    }
    return new IntervalCalibration(margins);
  }

  /**
   * The margin of the row's region (the pooled one for other regions, 0 without calibration) for
   * {@code horizon} and the pair whose lower level is {@code lower}, as a relative change.
   */
  Column margin(int horizon, double lower) {
    List<Column> entries = new ArrayList<>();
    Optional<Double> pooled = Optional.empty();
    for (IntervalMargin m : margins) {
      if (m.horizon() == horizon && m.lower() == lower) {
        if (m.region().equals(POOLED)) {
          pooled = Optional.of(m.margin());
        } else {
          entries.add(lit(m.region()));
          entries.add(lit(m.margin()));
        }
      }
    }
    Column fallback = lit(pooled.orElse(0.0));
    if (entries.isEmpty()) {
      return fallback;
    }
    return coalesce(element_at(functions.map(entries.toArray(Column[]::new)), col(FeatureTable.REGION)),
        fallback);
  }

  /** From a bundle's entries; none is no calibration (bundles written before it existed). */
  static IntervalCalibration of(List<IntervalMargin> margins) {
    return new IntervalCalibration(margins);
  }
}
