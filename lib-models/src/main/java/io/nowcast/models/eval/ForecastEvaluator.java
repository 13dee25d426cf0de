package io.nowcast.models.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.baseline.Baselines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores forecast columns against the targets. Every model is scored on the same rows: those where the
 * actual and every model's forecast at that horizon are present — a model never looks better by
 * skipping hard rows. Aggregation happens in Spark; only the small metrics table reaches the driver.
 */
public final class ForecastEvaluator {
  private ForecastEvaluator() {}

  /**
   * @param scored test rows with {@code y_h<h>} and one forecast column per model and horizon
   * @param forecastColumn maps (model, horizon) to its forecast column name
   */
  public static List<HorizonMetrics> evaluate(
      Dataset<Row> scored,
      List<String> models,
      List<Integer> horizons,
      BiFunction<String, Integer, String> forecastColumn) {
    List<HorizonMetrics> raw = new ArrayList<>();
    for (int horizon : horizons) {
      Column actual = col(FeatureTable.target(horizon));
      Column complete = actual.isNotNull().and(actual.gt(0));
      for (String model : models) {
        complete = complete.and(col(forecastColumn.apply(model, horizon)).isNotNull());
      }
      Dataset<Row> rows = scored.where(complete);
      List<Column> aggregates = new ArrayList<>();
      aggregates.add(count(lit(1)).as("n"));
      for (String model : models) {
        Column error = col(forecastColumn.apply(model, horizon)).minus(actual);
        aggregates.add(avg(abs(error)).as(model + "__mae"));
        aggregates.add(sqrt(avg(pow(error, 2))).as(model + "__rmse"));
        aggregates.add(avg(abs(error).divide(actual)).multiply(100).as(model + "__mape"));
      }
      Row result =
          rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
              .first();
      long n = result.getLong(0);
      if (n == 0) {
        throw new IllegalStateException(
            "no test rows with an actual and every forecast at horizon " + horizon + " min");
      }
      for (String model : models) {
        raw.add(new HorizonMetrics(model, horizon, n,
            result.getDouble(result.fieldIndex(model + "__mae")),
            result.getDouble(result.fieldIndex(model + "__rmse")),
            result.getDouble(result.fieldIndex(model + "__mape")), Double.NaN));
      }
    }
    return withSkill(raw);
  }

  private static List<HorizonMetrics> withSkill(List<HorizonMetrics> raw) {
    Map<Integer, Double> persistenceMae = new HashMap<>();
    raw.stream()
        .filter(m -> m.model().equals(Baselines.PERSISTENCE))
        .forEach(m -> persistenceMae.put(m.horizon(), m.mae()));
    List<HorizonMetrics> out = new ArrayList<>();
    for (HorizonMetrics m : raw) {
      Double reference = persistenceMae.get(m.horizon());
      double skill = reference == null || reference == 0 ? Double.NaN : 1 - m.mae() / reference;
      out.add(new HorizonMetrics(m.model(), m.horizon(), m.count(), m.mae(), m.rmse(), m.mape(), skill));
    }
    out.sort(Comparator.comparing(HorizonMetrics::horizon).thenComparing(HorizonMetrics::model));
    return out;
  }
}
