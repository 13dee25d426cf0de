package io.nowcast.models.lstm;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
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
 * relative to the load at issue time, the static inputs of {@link ModelInputs} (calendar, weather,
 * rolling statistics, yesterday's ramp) and the labels.
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
  private static final int DAY = 1440;
  private static final int WEEK = 10080;

  private LstmWindows() {}

  /**
   * The static input names for {@code features}' columns: those {@link ModelInputs} derives (its
   * {@code x_*} columns) and, for every horizon, the load at the target time one day and one week
   * earlier relative to the load now ({@code x_lstm_target_1d_h<h>}; the strongest single signal
   * for 15–60 minute nowcasts, given to the network for each of its outputs).
   */
  public static List<String> staticInputs(FeatureSpec spec, Dataset<Row> features) {
    List<String> columns = Arrays.asList(features.columns());
    List<String> names = new ArrayList<>(new ModelInputs(spec).inputNames(columns));
    seasonal(spec, columns).keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    return names;
  }

  /**
   * {@code features} with {@link #SEQUENCE} and {@link #STATIC} appended (and {@link #LABELS} when
   * {@code withLabels}), besides the {@code x_*} columns of {@link ModelInputs#prepare}. Fails naming
   * the inputs that {@code features} lacks the columns for.
   */
  public static Dataset<Row> withInputs(Dataset<Row> features, FeatureSpec spec, int lookbackSteps,
      List<String> staticNames, boolean withLabels) {
    List<String> columns = Arrays.asList(features.columns());
    Dataset<Row> prepared = new ModelInputs(spec).prepare(features);
    List<String> preparedColumns = Arrays.asList(prepared.columns());
    Map<String, Column> seasonal = seasonal(spec, columns);
    List<Column> statics = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (String name : staticNames) {
      if (seasonal.containsKey(name)) {
        statics.add(seasonal.get(name));
      } else if (name.startsWith(ModelInputs.PREFIX) && preparedColumns.contains(name)
          && !columns.contains(name)) {
        statics.add(col(name).cast("double"));
      } else {
        absent.add(name);
      }
    }
    if (!absent.isEmpty()) {
      throw new IllegalArgumentException(
          "the features lack the columns of the LSTM inputs " + absent
              + " (the model was trained on a feature table that had them)");
    }
    Dataset<Row> out = prepared
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

  /** The load at each horizon's target time 1 day / 1 week earlier, relative to the load now. */
  private static Map<String, Column> seasonal(FeatureSpec spec, List<String> columns) {
    Map<String, Column> out = new LinkedHashMap<>();
    for (int horizon : spec.horizons()) {
      for (int period : new int[] {DAY, WEEK}) {
        String source = FeatureTable.lag(period - horizon);
        if (columns.contains(source)) {
          out.put(ModelInputs.PREFIX + "lstm_target_" + (period == DAY ? "1d" : "1w") + "_h" + horizon,
              col(source).divide(col(FeatureTable.LOAD_NOW)).minus(1.0));
        }
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
