package io.nowcast.features.load;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FusibleStage;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.WindowTerms;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds load changes {@code load_delta_<k>m}: the load at issue time minus the load {@code k} minutes
 * earlier. With one step it is the first difference (the current ramp); with 1 day and 1 week it is
 * the change against the same time yesterday and last week (which on the UTC grid is 24 h and 168 h of
 * real time, also across DST).
 *
 * <p>Invariants: {@code k} is a whole number of steps ≥ 1, so both terms are at or before issue time;
 * the earlier load is read exactly {@code k} minutes back in time (as in LoadLagStage: null where the
 * row {@code k/step} back is not exactly that far back); null where either load is missing. Reads the
 * load column itself, so it does not depend on which lags are configured.
 */
public final class LoadDeltaStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntArrayParam deltasMinutes =
      new IntArrayParam(this, "deltasMinutes", "minutes before issue time to take the change against");
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public LoadDeltaStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(deltasMinutes, new int[] {5, 1440, 10080});
  }

  public LoadDeltaStage() {
    this(Identifiable.randomUID("loadDelta"));
  }

  public IntArrayParam deltasMinutes() {
    return deltasMinutes;
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public LoadDeltaStage setDeltasMinutes(int[] value) {
    set(deltasMinutes, value);
    return this;
  }

  public LoadDeltaStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public int[] getDeltasMinutes() {
    return $(deltasMinutes);
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return transformAlone(this, dataset, getStepMinutes());
  }

  @Override
  public Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms) {
    Column load = col(SeriesColumns.LOAD);
    Map<String, Column> columns = new LinkedHashMap<>();
    for (int minutes : getDeltasMinutes()) {
      columns.put(
          FeatureTable.delta(minutes),
          load.minus(SeriesColumns.earlier(terms, SeriesColumns.LOAD, load, minutes, getStepMinutes())));
    }
    return columns;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "LoadDeltaStage");
    require(schema, SeriesColumns.TS, "LoadDeltaStage");
    require(schema, SeriesColumns.LOAD, "LoadDeltaStage");
    StructType out = schema;
    for (int minutes : getDeltasMinutes()) {
      if (minutes <= 0 || minutes % getStepMinutes() != 0) {
        throw new IllegalArgumentException(
            "LoadDeltaStage: delta " + minutes + " min is not a positive multiple of the "
                + getStepMinutes() + "-minute step");
      }
      requireAbsent(out, FeatureTable.delta(minutes), "LoadDeltaStage");
      out = out.add(FeatureTable.delta(minutes), DataTypes.DoubleType);
    }
    return out;
  }

  public static MLReader<LoadDeltaStage> read() {
    return new DefaultParamsReader<>();
  }

  public static LoadDeltaStage load(String path) {
    return read().load(path);
  }
}
