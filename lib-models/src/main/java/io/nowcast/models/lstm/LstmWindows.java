package io.nowcast.models.lstm;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.models.ModelInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The LSTM's inputs as Spark columns (plain expressions, no UDFs): the lookback sequence of past load
 * relative to the load at issue time, the static inputs (load lags including yesterday's and last
 * week's load at each target time, rolling statistics, calendar, weather) and the labels.
 *
 * <p>Invariants: step {@code k} of the sequence is the load exactly {@code k} grid steps before issue
 * time, read {@code k} rows back in {@code partitionBy(region).orderBy(issue_ts)} and kept only when
 * that row is exactly {@code k × step} minutes earlier — so it is a lag in time, never a value from
 * another instant; a missing load (grid gap, {@code is_missing = 1}) or an absent row (before the
 * first row of the input) stays null and becomes a masked step. Never ahead of issue time.
 */
public final class LstmWindows {
  /** {@code array<double>}: relative load at steps {@code T−1 … 0} before issue time (nulls kept). */
  public static final String SEQUENCE = "_lstm_sequence";
  /** {@code array<double>}: the static inputs, in the model's order (nulls kept). */
  public static final String STATIC = "_lstm_static";
  /** {@code array<double>}: {@code y_h / load_now − 1} per horizon. */
  public static final String LABELS = "_lstm_labels";

  private static final long MICROS_PER_MINUTE = 60_000_000L;

  private LstmWindows() {}

  /** The static input names available from {@code features}' columns, in network order. */
  public static List<String> staticInputs(FeatureSpec spec, Dataset<Row> features) {
    return new ArrayList<>(statics(spec, Arrays.asList(features.columns())).keySet());
  }

  /**
   * {@code features} with {@link #SEQUENCE} and {@link #STATIC} appended (and {@link #LABELS} when
   * {@code withLabels}). Fails naming the inputs that {@code features} lacks the columns for.
   */
  public static Dataset<Row> withInputs(Dataset<Row> features, FeatureSpec spec, int lookbackSteps,
      List<String> staticNames, boolean withLabels) {
    Map<String, Column> available = statics(spec, Arrays.asList(features.columns()));
    List<String> absent = staticNames.stream().filter(n -> !available.containsKey(n)).toList();
    if (!absent.isEmpty()) {
      throw new IllegalArgumentException(
          "the features lack the columns of the LSTM inputs " + absent
              + " (the model was trained on a feature table that had them)");
    }
    List<Column> statics = new ArrayList<>();
    staticNames.forEach(name -> statics.add(available.get(name)));
    Dataset<Row> out = features
        .withColumn(SEQUENCE, sequence(spec.stepMinutes(), lookbackSteps))
        .withColumn(STATIC, statics.isEmpty()
            ? array().cast("array<double>") : array(statics.toArray(Column[]::new)));
    if (withLabels) {
      List<Column> labels = new ArrayList<>();
      for (int horizon : spec.horizons()) {
        labels.add(col(FeatureTable.target(horizon)).divide(col(FeatureTable.LOAD_NOW)).minus(1.0));
      }
      out = out.withColumn(LABELS, array(labels.toArray(Column[]::new)));
    }
    return out;
  }

  /**
   * The static inputs by name, scale-free like {@link ModelInputs}' (relative to the load now): every
   * load lag of the spec — with the default spec these include the load at each horizon's target
   * time one day and one week earlier — rolling means and coefficients of variation, the calendar
   * at issue time and the weather observed up to it. Owned here rather than taken from ModelInputs:
   * a saved LSTM must keep meaning the same inputs when the tree models' inputs evolve.
   */
  static Map<String, Column> statics(FeatureSpec spec, List<String> columns) {
    Map<String, Column> out = new LinkedHashMap<>();
    Column now = col(FeatureTable.LOAD_NOW);
    for (int lag : spec.lagMinutes()) {
      if (columns.contains(FeatureTable.lag(lag))) {
        out.put(ModelInputs.PREFIX + "rel_lag_" + lag + "m", col(FeatureTable.lag(lag)).divide(now).minus(1.0));
      }
    }
    for (int window : spec.windowMinutes()) {
      if (columns.contains(FeatureTable.rollingMean(window))) {
        out.put(ModelInputs.PREFIX + "rel_mean_" + window + "m",
            col(FeatureTable.rollingMean(window)).divide(now).minus(1.0));
      }
      if (columns.contains(FeatureTable.rollingStd(window))) {
        out.put(ModelInputs.PREFIX + "cv_" + window + "m", col(FeatureTable.rollingStd(window)).divide(now));
      }
    }
    for (String column : List.of(CalendarStage.MINUTE_SIN, CalendarStage.MINUTE_COS,
        CalendarStage.DAY_OF_WEEK, CalendarStage.WEEKEND, CalendarStage.HOLIDAY, CalendarStage.MONTH,
        WeatherAligner.TEMP_C, WeatherAligner.DEWPOINT_C, WeatherAligner.RH_PCT,
        WeatherAligner.WEATHER_AGE_MIN)) {
      if (columns.contains(column)) {
        out.put(ModelInputs.PREFIX + column, col(column).cast("double"));
      }
    }
    return out;
  }

  /** The relative-load sequence, oldest step first, the load at issue time (always 0) last. */
  static Column sequence(int stepMinutes, int lookbackSteps) {
    WindowSpec window = Window.partitionBy(FeatureTable.REGION).orderBy(FeatureTable.ISSUE_TS);
    Column now = col(FeatureTable.LOAD_NOW);
    Column[] steps = new Column[lookbackSteps];
    for (int k = lookbackSteps - 1; k >= 1; k--) {
      Column gap = unix_micros(col(FeatureTable.ISSUE_TS))
          .minus(unix_micros(lag(col(FeatureTable.ISSUE_TS), k).over(window)));
      Column earlier = when(gap.equalTo(lit(k * stepMinutes * MICROS_PER_MINUTE)),
          lag(col(FeatureTable.LOAD_NOW), k).over(window));
      steps[lookbackSteps - 1 - k] = earlier.divide(now).minus(1.0);
    }
    steps[lookbackSteps - 1] = when(now.isNotNull(), lit(0.0));
    return array(steps);
  }
}
