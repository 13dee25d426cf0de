package io.nowcast.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns feature-table columns into scale-free model inputs, so one global model serves regions of any
 * size: load lags and rolling means become relative changes against the load at issue time, standard
 * deviations become coefficients of variation, and the label of horizon h is the relative change
 * {@code y_h / load_now − 1}. Forecast = {@code load_now × (1 + prediction)}.
 */
public final class ModelInputs {
  /** Prefix of the derived model input columns. */
  public static final String PREFIX = "x_";

  private final FeatureSpec spec;

  public ModelInputs(FeatureSpec spec) {
    this.spec = spec;
  }

  /** Derived input columns by name, in a stable order; only those whose sources exist are kept. */
  public Map<String, Column> inputs(List<String> available) {
    Map<String, Column> inputs = new LinkedHashMap<>();
    Column now = col(FeatureTable.LOAD_NOW);
    for (int lag : spec.lagMinutes()) {
      putIf(available, inputs, FeatureTable.lag(lag), "rel_lag_" + lag + "m",
          col(FeatureTable.lag(lag)).divide(now).minus(1.0));
    }
    for (int window : spec.windowMinutes()) {
      putIf(available, inputs, FeatureTable.rollingMean(window), "rel_mean_" + window + "m",
          col(FeatureTable.rollingMean(window)).divide(now).minus(1.0));
      putIf(available, inputs, FeatureTable.rollingStd(window), "cv_" + window + "m",
          col(FeatureTable.rollingStd(window)).divide(now));
    }
    // "What the same ramp did yesterday / last week": load at (target time − 1 d) minus load at
    // (issue time − 1 d), relative to load now. Trees cannot subtract two inputs, so say it directly.
    for (int horizon : spec.horizons()) {
      for (int period : new int[] {1440, 10080}) {
        String ahead = FeatureTable.lag(period - horizon);
        String base = FeatureTable.lag(period);
        if (available.contains(ahead) && available.contains(base)) {
          inputs.put(PREFIX + "ramp_" + period + "m_h" + horizon,
              col(ahead).minus(col(base)).divide(now));
        }
      }
    }
    for (String calendar : List.of(CalendarStage.MINUTE_SIN, CalendarStage.MINUTE_COS,
        CalendarStage.HOUR, CalendarStage.DAY_OF_WEEK, CalendarStage.MONTH, CalendarStage.WEEKEND,
        CalendarStage.HOLIDAY, WeatherAligner.TEMP_C, WeatherAligner.WEATHER_AGE_MIN)) {
      if (available.contains(calendar)) {
        inputs.put(PREFIX + calendar, col(calendar).cast("double"));
      }
    }
    return inputs;
  }

  /** The label column name of {@code horizon}. */
  public static String label(int horizon) {
    return "label_h" + horizon;
  }

  /**
   * Adds the derived inputs and one label per horizon to {@code features}; rows with no load at issue
   * time get null inputs and labels (they cannot be forecast relative to it).
   */
  public Dataset<Row> prepare(Dataset<Row> features) {
    List<String> available = Arrays.asList(features.columns());
    Dataset<Row> out = features;
    for (Map.Entry<String, Column> input : inputs(available).entrySet()) {
      out = out.withColumn(input.getKey(), input.getValue());
    }
    for (int horizon : spec.horizons()) {
      out = out.withColumn(label(horizon),
          col(FeatureTable.target(horizon)).divide(col(FeatureTable.LOAD_NOW)).minus(lit(1.0)));
    }
    return out;
  }

  /** The names of the derived inputs available for {@code features}' columns. */
  public List<String> inputNames(List<String> featureColumns) {
    return new ArrayList<>(inputs(featureColumns).keySet());
  }

  private static void putIf(List<String> available, Map<String, Column> inputs, String source,
      String name, Column value) {
    if (available.contains(source)) {
      inputs.put(PREFIX + name, value);
    }
  }
}
