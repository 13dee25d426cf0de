package io.nowcast.features;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Base of the feature stages: a Spark ML {@link Transformer} whose settings are all {@code Param}s
 * (so pipelines save and load through {@link DefaultParamsWritable}), that reads a per-region series
 * on the regular grid ({@code region}, {@code ts}, {@code load_mw}) and adds columns.
 *
 * <p>Every subclass has a {@code (String uid)} constructor, which Spark's reader needs; exposes each
 * {@code Param} through a public no-argument method (Spark ML finds params by reflection over
 * methods, not fields: a param that is only a field makes every set/get fail with "does not belong
 * to"); and states the invariants it keeps in its Javadoc.
 */
public abstract class FeatureStage extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;

  protected FeatureStage(String uid) {
    this.uid = uid;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /**
   * Adds {@code columns} in their iteration order with one projection. (Dataset.withColumns(Map) goes
   * through an unordered Scala map, so the column order would not match transformSchema; a chain of
   * withColumn calls re-analyses the plan once per column.)
   */
  protected static Dataset<Row> withColumnsInOrder(Dataset<Row> frame, Map<String, Column> columns) {
    List<Column> all = new ArrayList<>();
    all.add(col("*"));
    columns.forEach((name, value) -> all.add(value.as(name)));
    return frame.select(all.toArray(new Column[0]));
  }

  /**
   * {@code stage} applied on its own, with the protocol of {@link FusibleStage}: prepare, add the
   * grid helpers unless the input has them, add the new columns, drop the helpers again.
   */
  protected static Dataset<Row> transformAlone(FusibleStage stage, Dataset<?> dataset, int stepMinutes) {
    Dataset<Row> frame = SeriesColumns.withGridCheck(stage.prepare(dataset.toDF()), stepMinutes);
    WindowTerms terms = new WindowTerms(frame);
    Map<String, Column> columns = stage.newColumns(frame, terms);
    List<String> helpers = new ArrayList<>(stage.helperColumns());
    helpers.addAll(terms.names());
    Dataset<Row> out = withColumnsInOrder(terms.addTo(frame), columns).drop(helpers.toArray(new String[0]));
    return SeriesColumns.dropGridCheck(out, dataset);
  }

  /** Fails with a clear message when {@code schema} lacks {@code column}. */
  protected static void require(StructType schema, String column, String stage) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          stage + " needs column '" + column + "' but the input has " + java.util.Arrays.toString(schema.fieldNames()));
    }
  }

  /** Fails when {@code column} would overwrite an existing input column. */
  protected static void requireAbsent(StructType schema, String column, String stage) {
    if (java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(stage + " would overwrite existing column '" + column + "'");
    }
  }
}
