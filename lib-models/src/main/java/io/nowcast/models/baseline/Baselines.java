package io.nowcast.models.baseline;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The naive anchors every model must beat, as forecast columns {@code <name>_h<h>} in MW:
 * persistence (load at issue time), and seasonal naive — the load at the target time one day or one
 * week earlier, which are the lags {@code 1 d − h} and {@code 1 w − h}, both at or before issue time.
 */
public final class Baselines {
  public static final String PERSISTENCE = "persistence";
  public static final String SEASONAL_DAY = "seasonal_naive_day";
  public static final String SEASONAL_WEEK = "seasonal_naive_week";

  private static final int DAY = 1440;
  private static final int WEEK = 10080;

  private Baselines() {}

  /** Name of the forecast column of {@code model} at {@code horizon}. */
  public static String forecastColumn(String model, int horizon) {
    return model + "_h" + horizon;
  }

  /** The baselines that {@code features} has the lags for. */
  public static List<String> available(Dataset<Row> features, List<Integer> horizons) {
    List<String> columns = Arrays.asList(features.columns());
    List<String> names = new ArrayList<>(List.of(PERSISTENCE));
    if (horizons.stream().allMatch(h -> columns.contains(FeatureTable.lag(DAY - h)))) {
      names.add(SEASONAL_DAY);
    }
    if (horizons.stream().allMatch(h -> columns.contains(FeatureTable.lag(WEEK - h)))) {
      names.add(SEASONAL_WEEK);
    }
    return names;
  }

  /** Adds the forecast columns of every available baseline. */
  public static Dataset<Row> add(Dataset<Row> features, List<Integer> horizons) {
    List<String> names = available(features, horizons);
    Dataset<Row> out = features;
    for (int horizon : horizons) {
      out = out.withColumn(forecastColumn(PERSISTENCE, horizon), col(FeatureTable.LOAD_NOW));
      if (names.contains(SEASONAL_DAY)) {
        out = out.withColumn(forecastColumn(SEASONAL_DAY, horizon), col(FeatureTable.lag(DAY - horizon)));
      }
      if (names.contains(SEASONAL_WEEK)) {
        out = out.withColumn(forecastColumn(SEASONAL_WEEK, horizon), col(FeatureTable.lag(WEEK - horizon)));
      }
    }
    return out;
  }
}
