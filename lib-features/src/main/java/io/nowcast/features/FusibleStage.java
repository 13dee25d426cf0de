package io.nowcast.features;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A feature stage whose new columns are expressions over its input's columns only (window functions
 * over {@link SeriesColumns#ordered} included), never over another new column. FeatureBuilder
 * evaluates the new columns of all such stages in one {@code select}, so Spark computes all their
 * window functions in one Window operator over the narrow input rows, instead of one Window operator
 * per stage over rows that grow wider with every stage (measured: each extra pass over the wide rows
 * cost about as much as all the window functions together).
 *
 * <p>Protocol: {@link #prepare} (any pass that must run before the shared grid helpers, e.g. a
 * backward-in-time pass), then {@link SeriesColumns#withGridCheck}, then {@link #newColumns} on that
 * frame, then the window terms ({@link WindowTerms#addTo}: one Window operator), then the new columns
 * (a projection), then drop {@link #helperColumns} and the terms. The stage's own {@code transform}
 * follows the same steps.
 */
public interface FusibleStage {
  /** Passes this stage needs before the grid helpers are added; the default adds nothing. */
  default Dataset<Row> prepare(Dataset<Row> input) {
    return input;
  }

  /**
   * The stage's new columns, in the order of its schema, as expressions over {@code frame} (which
   * went through {@link #prepare} and has the grid helpers of {@link SeriesColumns#withGridCheck})
   * and over the window {@code terms} the stage asks for: every window function goes through {@code
   * terms}, so the stages share each distinct one and the expressions returned here hold none.
   */
  Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms);

  /** Columns {@link #prepare} added that are not features (dropped after {@link #newColumns}). */
  default List<String> helperColumns() {
    return List.of();
  }
}
