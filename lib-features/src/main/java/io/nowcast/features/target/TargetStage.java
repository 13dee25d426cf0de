package io.nowcast.features.target;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FusibleStage;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.WindowTerms;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds the targets {@code y_h<h>}: the load {@code h} minutes after issue time.
 *
 * <p>Invariant: targets are the only columns that look ahead of issue time; no feature stage may read
 * them (models take them as labels only). A target whose instant is missing or past the end of the
 * data is null, and such rows are left out of training and scoring for that horizon. The target of
 * horizon {@code h} is read {@code h/step} rows ahead only where that row is exactly {@code h} minutes
 * later; otherwise (input that is not a regular grid) it is null.
 */
public final class TargetStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntArrayParam horizonsMinutes =
      new IntArrayParam(this, "horizonsMinutes", "forecast horizons in minutes");
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public TargetStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(horizonsMinutes, new int[] {15, 30, 45, 60});
  }

  public TargetStage() {
    this(Identifiable.randomUID("target"));
  }

  public IntArrayParam horizonsMinutes() {
    return horizonsMinutes;
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public int[] getHorizonsMinutes() {
    return $(horizonsMinutes);
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  public TargetStage setHorizonsMinutes(int[] value) {
    set(horizonsMinutes, value);
    return this;
  }

  public TargetStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return transformAlone(this, dataset, getStepMinutes());
  }

  @Override
  public Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (int horizon : getHorizonsMinutes()) {
      columns.put(
          FeatureTable.target(horizon),
          SeriesColumns.later(terms, SeriesColumns.LOAD, col(SeriesColumns.LOAD), horizon, getStepMinutes()));
    }
    return columns;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "TargetStage");
    require(schema, SeriesColumns.TS, "TargetStage");
    require(schema, SeriesColumns.LOAD, "TargetStage");
    StructType out = schema;
    int step = getStepMinutes();
    for (int horizon : getHorizonsMinutes()) {
      if (horizon <= 0 || horizon % step != 0) {
        throw new IllegalArgumentException(
            "TargetStage: horizon " + horizon + " min is not a positive multiple of " + step);
      }
      requireAbsent(out, FeatureTable.target(horizon), "TargetStage");
      out = out.add(FeatureTable.target(horizon), DataTypes.DoubleType);
    }
    return out;
  }

  public static MLReader<TargetStage> read() {
    return new DefaultParamsReader<>();
  }

  public static TargetStage load(String path) {
    return read().load(path);
  }
}
