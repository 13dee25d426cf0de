package io.nowcast.models.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.baseline.Baselines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores forecast columns against the targets, per horizon overall, per region and per hour of day.
 * Every full model is scored on the same rows: those where the actual and every full model's forecast
 * are present — a model never looks better by skipping hard rows; a partial model (the ISO forecast)
 * on the subset it covers, with its skill against persistence on exactly those rows.
 *
 * <p>One Spark aggregation per call yields additive sums per (horizon, region, hour) — a few thousand
 * rows at most — which the driver combines into the three views ({@link MetricSums}).
 */
public final class ForecastEvaluator {
  private static final String HORIZON = "_horizon";
  private static final String HOUR = "_hour";
  private static final String ACTUAL = "_actual";

  private ForecastEvaluator() {}

  /** Overall metrics of point models (the evaluation before quantiles and slices). */
  public static List<HorizonMetrics> evaluate(Dataset<Row> scored, List<String> models, List<Integer> horizons,
      BiFunction<String, Integer, String> forecastColumn) {
    List<ScoredModel> scoredModels = models.stream().map(ScoredModel::point).toList();
    return report(scored, scoredModels, horizons, forecastColumn).overall();
  }

  /**
   * @param scored test rows with {@code y_h<h>}, {@code region}, {@code issue_ts} and the forecast
   *     columns of every model ({@code <model>_h<h>}, quantiles {@code <model>_h<h>_p<q>})
   * @param forecastColumn maps (model, horizon) to its point forecast column name
   */
  public static EvaluationReport report(Dataset<Row> scored, List<ScoredModel> models, List<Integer> horizons,
      BiFunction<String, Integer, String> forecastColumn) {
    boolean hasPersistence = models.stream().anyMatch(m -> m.name().equals(Baselines.PERSISTENCE));
    List<String> columns = Arrays.asList(scored.columns());
    Column hourOfDay = columns.contains(CalendarStage.HOUR)
        ? col(CalendarStage.HOUR).cast("int") : hour(col(FeatureTable.ISSUE_TS));
    Dataset<Row> longRows = null;
    for (int horizon : horizons) {
      List<Column> select = new ArrayList<>(List.of(col(FeatureTable.REGION), hourOfDay.as(HOUR),
          lit(horizon).as(HORIZON), col(FeatureTable.target(horizon)).cast("double").as(ACTUAL)));
      for (ScoredModel model : models) {
        select.add(col(forecastColumn.apply(model.name(), horizon)).cast("double").as(model.name()));
        for (double q : model.quantiles()) {
          select.add(col(ForecastModel.quantileColumn(model.name(), horizon, q)).cast("double")
              .as(quantileAlias(model.name(), q)));
        }
      }
      Dataset<Row> one = scored.select(select.toArray(Column[]::new));
      longRows = longRows == null ? one : longRows.unionByName(one);
    }
    Column actual = col(ACTUAL);
    Column common = actual.isNotNull().and(actual.gt(0));
    for (ScoredModel model : models) {
      if (!model.partial()) {
        common = common.and(col(model.name()).isNotNull());
      }
    }
    List<Column> aggregates = new ArrayList<>();
    for (ScoredModel model : models) {
      Column forecast = col(model.name());
      Column mask = common.and(forecast.isNotNull());
      Column error = forecast.minus(actual);
      String p = model.name() + "__";
      aggregates.add(sum(when(mask, lit(1L)).otherwise(lit(0L))).as(p + "n"));
      aggregates.add(sum(when(mask, abs(error))).as(p + "ae"));
      aggregates.add(sum(when(mask, error.multiply(error))).as(p + "se"));
      aggregates.add(sum(when(mask, abs(error).divide(actual))).as(p + "ape"));
      aggregates.add(sum(when(mask, abs(error).multiply(2)
          .divide(greatest(abs(forecast).plus(abs(actual)), lit(1e-12))))).as(p + "sape"));
      if (hasPersistence) {
        aggregates.add(sum(when(mask, abs(col(Baselines.PERSISTENCE).minus(actual)))).as(p + "refae"));
      }
      if (!model.quantiles().isEmpty()) {
        Column qmask = mask;
        for (double q : model.quantiles()) {
          qmask = qmask.and(col(quantileAlias(model.name(), q)).isNotNull());
        }
        List<Double> levels = new ArrayList<>(model.quantiles());
        if (!levels.contains(0.5)) {
          levels.add(0.5);
        }
        Column pinball = lit(0.0);
        for (double q : levels) {
          Column f = q == 0.5 ? forecast : col(quantileAlias(model.name(), q));
          Column diff = actual.minus(f);
          pinball = pinball.plus(greatest(diff.multiply(q), diff.multiply(q - 1)));
        }
        double low = model.quantiles().get(0);
        double high = model.quantiles().get(model.quantiles().size() - 1);
        aggregates.add(sum(when(qmask, pinball.divide(levels.size()))).as(p + "pinball"));
        aggregates.add(sum(when(qmask, lit(1L)).otherwise(lit(0L))).as(p + "qn"));
        aggregates.add(sum(when(qmask.and(actual.geq(col(quantileAlias(model.name(), low))))
            .and(actual.leq(col(quantileAlias(model.name(), high)))), lit(1L)).otherwise(lit(0L)))
            .as(p + "covered"));
      }
    }
    List<Row> groups = longRows
        .groupBy(col(HORIZON), col(FeatureTable.REGION), col(HOUR))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .collectAsList();
    return combine(groups, models, horizons, hasPersistence);
  }

  private static EvaluationReport combine(List<Row> groups, List<ScoredModel> models, List<Integer> horizons,
      boolean hasPersistence) {
    Map<String, MetricSums> overall = new LinkedHashMap<>();
    Map<String, MetricSums> byRegion = new LinkedHashMap<>();
    Map<String, MetricSums> byHour = new LinkedHashMap<>();
    for (Row row : groups) {
      int horizon = row.getInt(row.fieldIndex(HORIZON));
      String region = row.getString(row.fieldIndex(FeatureTable.REGION));
      Object hourValue = row.get(row.fieldIndex(HOUR));
      String hourKey = hourValue == null ? "?" : String.format("%02d", ((Number) hourValue).intValue());
      for (ScoredModel model : models) {
        MetricSums sums = MetricSums.of(row, model.name() + "__", hasPersistence, !model.quantiles().isEmpty());
        overall.computeIfAbsent(key(model.name(), horizon, ""), k -> new MetricSums()).add(sums);
        byRegion.computeIfAbsent(key(model.name(), horizon, region), k -> new MetricSums()).add(sums);
        byHour.computeIfAbsent(key(model.name(), horizon, hourKey), k -> new MetricSums()).add(sums);
      }
    }
    List<HorizonMetrics> totals = new ArrayList<>();
    for (int horizon : horizons) {
      for (ScoredModel model : models) {
        MetricSums sums = overall.get(key(model.name(), horizon, ""));
        if (sums == null || sums.n == 0) {
          if (!model.partial()) {
            throw new IllegalStateException(
                "no test rows with an actual and every forecast at horizon " + horizon + " min");
          }
          continue;
        }
        totals.add(sums.metrics(model.name(), horizon));
      }
    }
    totals.sort(Comparator.comparing(HorizonMetrics::horizon).thenComparing(HorizonMetrics::model));
    List<SliceMetrics> slices = new ArrayList<>();
    addSlices(slices, SliceMetrics.REGION, byRegion);
    addSlices(slices, SliceMetrics.HOUR, byHour);
    return new EvaluationReport(totals, slices);
  }

  private static void addSlices(List<SliceMetrics> out, String dimension, Map<String, MetricSums> sums) {
    List<SliceMetrics> slices = new ArrayList<>();
    sums.forEach((k, s) -> {
      if (s.n > 0) {
        String[] parts = k.split("\u0001", -1);
        slices.add(new SliceMetrics(dimension, parts[2], s.metrics(parts[0], Integer.parseInt(parts[1]))));
      }
    });
    slices.sort(Comparator.comparing((SliceMetrics m) -> m.key())
        .thenComparing(m -> m.metrics().horizon()).thenComparing(m -> m.metrics().model()));
    out.addAll(slices);
  }

  private static String key(String model, int horizon, String slice) {
    return model + "\u0001" + horizon + "\u0001" + slice;
  }

  private static String quantileAlias(String model, double q) {
    return model + "__p" + Math.round(q * 100);
  }
}
