package io.nowcast.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.features.weather.WeatherFeatureStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns feature-table columns into scale-free model inputs, so one global model serves regions of any
 * size: load lags, rolling means, minima and maxima become relative changes against the load at issue
 * time, standard deviations become coefficients of variation, deltas are divided by the load now, and
 * the label of horizon h is the relative change {@code y_h / load_now − 1}. Forecast = {@code load_now
 * × (1 + prediction)}.
 *
 * <p>Inputs are named the same for every horizon: the horizon-specific ones ("the load at the target
 * time yesterday", the calendar at the target time) take the value of the horizon asked for. So one
 * booster can serve all horizons with {@link #HORIZON} as one more input (rows × horizons), and
 * per-horizon boosters see the same input list.
 *
 * <p>Never inputs: the targets, and columns that read observations after issue time ({@code
 * *_at_target_actual}, the weather-forecast stand-in), so headline runs cannot leak.
 */
public final class ModelInputs {
  /** Prefix of the derived model input columns. */
  public static final String PREFIX = "x_";
  /** The horizon in minutes, an input of horizon-as-feature models. */
  public static final String HORIZON = "horizon_min";
  /** The label column of {@link #stacked} rows. */
  public static final String LABEL = "label";

  private static final int DAY = 1440;
  private static final int WEEK = 10080;
  /** Marks columns that look past issue time; never model inputs. */
  private static final String LOOKS_AHEAD = "_at_target_actual";

  private static final List<String> CALENDAR_NOW = List.of(CalendarStage.MINUTE_SIN,
      CalendarStage.MINUTE_COS, CalendarStage.HOUR, CalendarStage.DAY_OF_WEEK, CalendarStage.MONTH,
      CalendarStage.WEEKEND, CalendarStage.HOLIDAY, CalendarStage.DAYS_TO_HOLIDAY,
      CalendarStage.DAYS_FROM_HOLIDAY);
  private static final List<String> WEATHER_NOW = List.of(WeatherAligner.TEMP_C,
      WeatherAligner.WEATHER_AGE_MIN, WeatherAligner.RH_PCT, WeatherAligner.DEWPOINT_C,
      WeatherFeatureStage.CDD, WeatherFeatureStage.HDD, WeatherFeatureStage.TEMP_X_RH);

  private final FeatureSpec spec;

  public ModelInputs(FeatureSpec spec) {
    this.spec = spec;
  }

  public FeatureSpec spec() {
    return spec;
  }

  /**
   * Input columns for {@code horizon} by name, in a stable order; only those whose sources exist in
   * {@code available} are kept.
   */
  public Map<String, Column> inputs(List<String> available, int horizon) {
    Map<String, Column> inputs = new LinkedHashMap<>();
    Column now = col(FeatureTable.LOAD_NOW);
    Set<Integer> seasonalLags = new TreeSet<>();
    for (int h : spec.horizons()) {
      seasonalLags.add(DAY - h);
      seasonalLags.add(WEEK - h);
    }
    for (int lag : spec.lagMinutes()) {
      if (!seasonalLags.contains(lag)) {
        putIf(available, inputs, FeatureTable.lag(lag), "rel_lag_" + lag + "m",
            col(FeatureTable.lag(lag)).divide(now).minus(1.0));
      }
    }
    // "What the load did at the target time yesterday / last week" and "what the same ramp did then":
    // load at (target − period) against now and against (issue − period). Trees cannot subtract two
    // inputs, so say it directly.
    for (int period : new int[] {DAY, WEEK}) {
      String atTarget = FeatureTable.lag(period - horizon);
      String atIssue = FeatureTable.lag(period);
      String name = period == DAY ? "1d" : "1w";
      putIf(available, inputs, atTarget, "rel_target_" + name,
          col(atTarget).divide(now).minus(1.0));
      if (available.contains(atTarget) && available.contains(atIssue)) {
        inputs.put(PREFIX + "ramp_" + name, col(atTarget).minus(col(atIssue)).divide(now));
      }
    }
    for (int delta : spec.deltaMinutes()) {
      putIf(available, inputs, FeatureTable.delta(delta), "rel_delta_" + delta + "m",
          col(FeatureTable.delta(delta)).divide(now));
    }
    for (int window : spec.windowMinutes()) {
      putIf(available, inputs, FeatureTable.rollingMean(window), "rel_mean_" + window + "m",
          col(FeatureTable.rollingMean(window)).divide(now).minus(1.0));
      putIf(available, inputs, FeatureTable.rollingStd(window), "cv_" + window + "m",
          col(FeatureTable.rollingStd(window)).divide(now));
      putIf(available, inputs, FeatureTable.rollingMin(window), "rel_min_" + window + "m",
          col(FeatureTable.rollingMin(window)).divide(now).minus(1.0));
      putIf(available, inputs, FeatureTable.rollingMax(window), "rel_max_" + window + "m",
          col(FeatureTable.rollingMax(window)).divide(now).minus(1.0));
    }
    for (String calendar : CALENDAR_NOW) {
      putIf(available, inputs, calendar, calendar, col(calendar).cast("double"));
    }
    for (String calendar : CalendarStage.AT_TARGET) {
      String atTarget = CalendarStage.atTarget(calendar, horizon);
      putIf(available, inputs, atTarget, "target_" + calendar, col(atTarget).cast("double"));
    }
    for (String weather : WEATHER_NOW) {
      putIf(available, inputs, weather, weather, col(weather).cast("double"));
    }
    for (int delta : spec.weatherDeltaMinutes()) {
      String name = WeatherFeatureStage.tempDelta(delta);
      putIf(available, inputs, name, name, col(name).cast("double"));
    }
    return inputs;
  }

  /** The names of the inputs available for {@code featureColumns} (the same for every horizon). */
  public List<String> inputNames(List<String> featureColumns) {
    return new ArrayList<>(inputs(featureColumns, spec.horizons().get(0)).keySet());
  }

  /** The label column name of {@code horizon} in {@link #prepare}d rows. */
  public static String label(int horizon) {
    return "label_h" + horizon;
  }

  /** The relative-change label of {@code horizon}: {@code y_h / load_now − 1}. */
  public static Column labelOf(int horizon) {
    return col(FeatureTable.target(horizon)).divide(col(FeatureTable.LOAD_NOW)).minus(lit(1.0));
  }

  /**
   * {@code features} with the inputs of {@code horizon} (overwriting any of the same name) and {@code
   * horizon_min}; rows with no load at issue time get null inputs (they cannot be forecast relative
   * to it).
   */
  public Dataset<Row> forHorizon(Dataset<Row> features, int horizon) {
    Map<String, Column> columns = new LinkedHashMap<>(inputs(Arrays.asList(features.columns()), horizon));
    columns.put(HORIZON, lit((double) horizon));
    return features.withColumns(columns);
  }

  /**
   * Adds the inputs of the first horizon and one label per horizon to {@code features} (per-horizon
   * training and the single-horizon tests).
   */
  public Dataset<Row> prepare(Dataset<Row> features) {
    Dataset<Row> out = forHorizon(features, spec.horizons().get(0));
    for (int horizon : spec.horizons()) {
      out = out.withColumn(label(horizon), labelOf(horizon));
    }
    return out;
  }

  /**
   * One row per issue time and horizon: {@code region, issue_ts, load_now, horizon_min}, the inputs of
   * that horizon and {@link #LABEL} — the training rows of a horizon-as-feature model. Rows whose label
   * is unknown are dropped.
   */
  public Dataset<Row> stacked(Dataset<Row> features, List<String> inputNames, List<Integer> horizons) {
    Dataset<Row> out = null;
    for (int horizon : horizons) {
      List<Column> select = new ArrayList<>(List.of(col(FeatureTable.REGION), col(FeatureTable.ISSUE_TS),
          col(FeatureTable.LOAD_NOW), col(HORIZON)));
      inputNames.forEach(name -> select.add(col(name)));
      select.add(labelOf(horizon).as(LABEL));
      Dataset<Row> one = forHorizon(features, horizon).select(select.toArray(Column[]::new))
          .where(col(LABEL).isNotNull());
      out = out == null ? one : out.unionByName(one);
    }
    return out;
  }

  /** Whether {@code column} may never be a model input (it reads data after issue time). */
  public static boolean looksAhead(String column) {
    return column.contains(LOOKS_AHEAD);
  }

  private static void putIf(List<String> available, Map<String, Column> inputs, String source,
      String name, Column value) {
    if (available.contains(source) && !looksAhead(source)) {
      inputs.put(PREFIX + name, value);
    }
  }
}
