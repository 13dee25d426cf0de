package io.nowcast.features.grid;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesColumns;
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
 * Puts each region's load on a regular grid from its first to its last on-grid stamp.
 *
 * <p>The grid is anchored at the epoch (instants whose UTC epoch time is a whole multiple of the
 * step), so it does not depend on where a region's data happen to start.
 *
 * <p>Invariants: exactly one row per region and grid instant; an instant without data gets a null
 * load and {@code is_missing = 1} (never a silent shift or fill); input stamps must already be on the
 * grid (ingest snaps them) — off-grid stamps are ignored, so their instants show up as missing.
 * Duplicate stamps (which ingest de-duplicates) collapse to one row keeping the largest non-null load,
 * a choice that does not depend on row order. Output columns: region, ts, load_mw, is_missing.
 */
public final class RegularGridStage extends FeatureStage {
  private static final long serialVersionUID = 1L;

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));

  public RegularGridStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
  }

  public RegularGridStage() {
    this(Identifiable.randomUID("regularGrid"));
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public RegularGridStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    long stepMicros = getStepMinutes() * 60_000_000L;
    Column onGrid = pmod(SeriesColumns.tsMicros(), lit(stepMicros)).equalTo(0L);
    Dataset<Row> series =
        dataset
            .toDF()
            .where(col(SeriesColumns.REGION).isNotNull().and(onGrid))
            .groupBy(col(SeriesColumns.REGION), col(SeriesColumns.TS))
            .agg(max(col(SeriesColumns.LOAD)).as(SeriesColumns.LOAD));
    Dataset<Row> grid =
        series
            .groupBy(SeriesColumns.REGION)
            .agg(min(SeriesColumns.TS).as("_first_ts"), max(SeriesColumns.TS).as("_last_ts"))
            .select(
                col(SeriesColumns.REGION),
                expr(
                        "explode(sequence(_first_ts, _last_ts, interval "
                            + getStepMinutes()
                            + " minutes))")
                    .as(SeriesColumns.TS));
    return grid.join(series, new String[] {SeriesColumns.REGION, SeriesColumns.TS}, "left")
        .select(
            col(SeriesColumns.REGION),
            col(SeriesColumns.TS),
            col(SeriesColumns.LOAD),
            when(col(SeriesColumns.LOAD).isNull(), lit(1)).otherwise(lit(0)).as(FeatureTable.IS_MISSING));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "RegularGridStage");
    require(schema, SeriesColumns.TS, "RegularGridStage");
    require(schema, SeriesColumns.LOAD, "RegularGridStage");
    return new StructType()
        .add(SeriesColumns.REGION, DataTypes.StringType)
        .add(SeriesColumns.TS, DataTypes.TimestampType)
        .add(SeriesColumns.LOAD, DataTypes.DoubleType)
        .add(FeatureTable.IS_MISSING, DataTypes.IntegerType, false);
  }

  public static MLReader<RegularGridStage> read() {
    return new DefaultParamsReader<>();
  }

  public static RegularGridStage load(String path) {
    return read().load(path);
  }
}
