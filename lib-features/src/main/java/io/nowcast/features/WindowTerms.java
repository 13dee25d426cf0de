package io.nowcast.features;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * The window functions of the fused stages ({@link FusibleStage}), each computed once under a name.
 * A stage asks for a term — a running sum of a named value, a lag or lead of a column, a running
 * aggregate of its own — and gets a reference to the term's column; its features are plain
 * expressions over those references. {@link #addTo} then evaluates every term in one select (one
 * Window operator over {@link SeriesColumns#ordered}), and the features follow in a projection.
 *
 * <p>Why not write the window functions into the feature expressions directly: Spark does not share
 * equal window expressions between the places they occur in a select. A term used twice — the count
 * of a window in both its mean and its std, a (block, value) struct read once for its block and once
 * for its value, a lag the lag and delta stages both need — is evaluated twice. Measured on the
 * default spec: 173 window functions in the fused pass where 65 are distinct.
 *
 * <p>A term's name says what it computes (value name, function, offset), so two stages asking for
 * the same term share it, and one name never stands for two expressions. Term columns start with
 * {@code _t_} and are helpers: FeatureBuilder drops them.
 */
public final class WindowTerms {
  private static final String PREFIX = "_t_";
  private final Map<String, Column> terms = new LinkedHashMap<>();
  private final WindowSpec ordered;
  private final WindowSpec running;

  /** Terms over {@code frame}'s series ordering ({@link SeriesColumns#ordered}). */
  public WindowTerms(Dataset<?> frame) {
    this.ordered = SeriesColumns.ordered(frame);
    this.running = SeriesColumns.running(frame);
  }

  /**
   * The column of the term {@code name}, defined as {@code windowExpression} the first time it is
   * asked for; later requests for the same name share it.
   */
  public Column term(String name, Column windowExpression) {
    String column = PREFIX + name;
    terms.putIfAbsent(column, windowExpression);
    return col(column);
  }

  /** Running sum of {@code value} (named {@code valueName}) up to and including the current row. */
  public Column runningSum(String valueName, Column value) {
    return term("sum_" + valueName, functions.sum(value).over(running));
  }

  /**
   * Running sum of {@code value} up to the row {@code rows} back (null in the first {@code rows}
   * rows). An unbounded-preceding frame, O(n) like the running sum, and adding the same values in
   * the same order, so it equals the running sum {@code rows} back bit for bit.
   */
  public Column sumUpToRowsBack(String valueName, Column value, int rows) {
    WindowSpec upToRowsBack = ordered.rowsBetween(Window.unboundedPreceding(), -rows);
    return term("sum_" + valueName + "_to_" + rows, functions.sum(value).over(upToRowsBack));
  }

  /** {@code value} {@code rows} rows back (null before the partition's first row). */
  public Column lag(String valueName, Column value, int rows) {
    return term("lag_" + valueName + "_" + rows, functions.lag(value, rows).over(ordered));
  }

  /** {@code value} {@code rows} rows ahead (null after the partition's last row). */
  public Column lead(String valueName, Column value, int rows) {
    return term("lead_" + valueName + "_" + rows, functions.lead(value, rows).over(ordered));
  }

  /** {@code value} at the partition's first row. */
  public Column first(String valueName, Column value) {
    return term("first_" + valueName, functions.first(value).over(running));
  }

  /** A running aggregate (unbounded preceding to the current row) of the caller's, under {@code name}. */
  public Column running(String name, Column aggregate) {
    return term(name, aggregate.over(running));
  }

  /** {@code frame} with every term added in one select: one Window operator. */
  public Dataset<Row> addTo(Dataset<Row> frame) {
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    terms.forEach((name, value) -> columns.add(value.as(name)));
    return frame.select(columns.toArray(new Column[0]));
  }

  /** The term columns {@link #addTo} adds (helpers, to drop once the features are computed). */
  public List<String> names() {
    return List.copyOf(terms.keySet());
  }

  /** How many distinct terms were asked for. */
  public int size() {
    return terms.size();
  }
}
