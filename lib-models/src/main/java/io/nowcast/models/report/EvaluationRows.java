package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The evaluation rows the report reads (long format): the predictions table of DESIGN §4 joined with
 * the actual load, one row per region, issue time, horizon and model.
 *
 * <pre>
 * region STRING, issue_ts TIMESTAMP, horizon_min INT, target_ts TIMESTAMP, model STRING,
 * p10 DOUBLE (nullable), p50 DOUBLE, p90 DOUBLE (nullable), actual_mw DOUBLE
 * </pre>
 *
 * Forecasts and the actual are in MW. {@code p10}/{@code p90} may be absent from the schema or null for
 * point-only models; {@code p50} is the point forecast. Other columns (e.g. {@code model_version}) are
 * ignored.
 */
public final class EvaluationRows {
  public static final String REGION = FeatureTable.REGION;
  public static final String ISSUE_TS = FeatureTable.ISSUE_TS;
  public static final String HORIZON_MIN = "horizon_min";
  /** {@code issue_ts + horizon_min}: the time the forecast is for. */
  public static final String TARGET_TS = "target_ts";
  public static final String MODEL = "model";
  public static final String P10 = "p10";
  public static final String P50 = "p50";
  public static final String P90 = "p90";
  /** The load that happened at {@link #TARGET_TS}, MW. */
  public static final String ACTUAL = "actual_mw";

  static final List<String> REQUIRED = List.of(REGION, HORIZON_MIN, TARGET_TS, MODEL, P50, ACTUAL);

  private EvaluationRows() {}

  /**
   * Checks the schema and returns the columns the report reads, with null {@code p10}/{@code p90}
   * added where the schema has none, and only rows that have both an actual and a P50.
   *
   * @throws IllegalArgumentException naming the missing columns
   */
  public static Dataset<Row> usable(Dataset<Row> rows) {
    List<String> present = Arrays.asList(rows.columns());
    List<String> missing = REQUIRED.stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "evaluation rows lack the column(s) " + missing + "; they have " + present);
    }
    Column nullDouble = lit(null).cast(DataTypes.DoubleType);
    return rows.select(
            col(REGION),
            col(HORIZON_MIN).cast(DataTypes.IntegerType).as(HORIZON_MIN),
            col(TARGET_TS),
            col(MODEL),
            (present.contains(P10) ? col(P10).cast(DataTypes.DoubleType) : nullDouble).as(P10),
            col(P50).cast(DataTypes.DoubleType).as(P50),
            (present.contains(P90) ? col(P90).cast(DataTypes.DoubleType) : nullDouble).as(P90),
            col(ACTUAL).cast(DataTypes.DoubleType).as(ACTUAL))
        .where(col(P50).isNotNull().and(col(ACTUAL).isNotNull()));
  }

  /**
   * Keeps only the (region, target time, horizon) cells that every model forecast, so that no model
   * looks better by skipping hard rows (the rule of the evaluator). Expects {@link #usable} rows with
   * at most one row per cell and model.
   */
  public static Dataset<Row> commonRows(Dataset<Row> usable) {
    long models = usable.select(MODEL).distinct().count();
    return withCommonFlag(usable, models).where(col(COMMON_FLAG)).drop(COMMON_FLAG);
  }

  /** Name of the flag {@link #withCommonFlag} adds. */
  static final String COMMON_FLAG = "_in_common_cell";

  /**
   * Adds the boolean {@link #COMMON_FLAG}: does each of the {@code models} have a row in this (region,
   * target time, horizon) cell? Counting rows per cell assumes one row per cell and model.
   */
  static Dataset<Row> withCommonFlag(Dataset<Row> usable, long models) {
    Column perCell = count(lit(1)).over(Window.partitionBy(REGION, TARGET_TS, HORIZON_MIN));
    return usable.withColumn(COMMON_FLAG, perCell.equalTo(models));
  }

  /** The distinct model names of the rows, sorted (a small collect: one row per model). */
  public static List<String> models(Dataset<Row> rows) {
    Set<String> names = new TreeSet<>();
    for (Row r : rows.select(MODEL).distinct().collectAsList()) {
      names.add(r.getString(0));
    }
    return List.copyOf(names);
  }

  /** The residual {@code p50 − actual} in MW: positive where the model over-forecast. */
  static Column residual() {
    return col(P50).minus(col(ACTUAL));
  }

  /**
   * Turns the wide scored table of the evaluator (one row per region and issue time, targets {@code
   * y_h<h>}, forecast columns named by {@link ForecastModel#forecastColumn} and, where present,
   * {@link ForecastModel#quantileColumn} for 0.1 and 0.9) into evaluation rows, in one pass with
   * Spark's {@code stack} generator.
   */
  public static Dataset<Row> fromWide(Dataset<Row> scored, List<String> models, List<Integer> horizons) {
    if (models.isEmpty() || horizons.isEmpty()) {
      throw new IllegalArgumentException("need at least one model and one horizon, got " + models + ", " + horizons);
    }
    List<String> present = Arrays.asList(scored.columns());
    List<String> stackArgs = new ArrayList<>();
    for (String model : models) {
      for (int h : horizons) {
        String p50 = ForecastModel.forecastColumn(model, h);
        String target = FeatureTable.target(h);
        for (String needed : List.of(p50, target)) {
          if (!present.contains(needed)) {
            throw new IllegalArgumentException("scored table lacks column " + needed + "; it has " + present);
          }
        }
        String p10 = ForecastModel.quantileColumn(model, h, 0.1);
        String p90 = ForecastModel.quantileColumn(model, h, 0.9);
        stackArgs.add(String.format(Locale.ROOT, "%s, %d, %s, %s, %s, %s",
            sqlString(model), h,
            asDouble(present.contains(p10) ? quoted(p10) : "NULL"),
            asDouble(quoted(p50)),
            asDouble(present.contains(p90) ? quoted(p90) : "NULL"),
            asDouble(quoted(target))));
      }
    }
    String stack = "stack(" + stackArgs.size() + ", " + String.join(", ", stackArgs) + ") AS ("
        + String.join(", ", MODEL, HORIZON_MIN, P10, P50, P90, ACTUAL) + ")";
    return scored
        .select(col(REGION), col(ISSUE_TS), functions.expr(stack))
        .withColumn(TARGET_TS,
            functions.expr("timestampadd(MINUTE, " + quoted(HORIZON_MIN) + ", " + quoted(ISSUE_TS) + ")"))
        .select(REGION, ISSUE_TS, HORIZON_MIN, TARGET_TS, MODEL, P10, P50, P90, ACTUAL);
  }

  /** stack() needs one type per output column across all its rows. */
  private static String asDouble(String sql) {
    return "CAST(" + sql + " AS DOUBLE)";
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
