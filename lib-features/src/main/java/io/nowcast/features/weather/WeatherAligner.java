package io.nowcast.features.weather;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.SeriesColumns;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Brings each region's weather onto its load grid: every station of the region is aligned with an
 * as-of join — its latest observation at or before the grid instant — and the aligned stations are
 * combined by the configured weights, renormalised over the stations that have reported by then.
 * Aligning each station before combining matters because stations report at different minutes
 * (METARs at :51, :53, …): combining first would make the region's value jump between single
 * stations from one instant to the next.
 *
 * <p>The as-of join is a union of the grid and the observations ordered by time (observations first
 * at equal stamps) and, per station slot, a running {@code last(…, ignoreNulls)}: O(n), no range join,
 * no group-by, GPU-friendly. A region's stations occupy slots 0…k−1 (sorted by name) and are combined
 * by one fixed-order expression, so the floating-point result does not depend on partitioning.
 *
 * <p>Invariants: a grid instant never sees an observation stamped after it (an observation stamped
 * exactly at the instant is used). Adds {@code temp_c} and {@code weather_age_min}, the minutes since
 * the oldest observation that went into {@code temp_c}, so a model can discount stale values; both are
 * null until one of the region's stations has reported, and for regions with no stations. Duplicate
 * observations of one station at one stamp resolve to the largest value (independent of row order).
 */
public final class WeatherAligner {
  public static final String TEMP_C = "temp_c";
  public static final String WEATHER_AGE_MIN = "weather_age_min";

  // Row kinds of the union; observations sort before grid rows at the same instant, so an
  // observation stamped exactly at issue time counts as available.
  private static final String KIND = "_kind";
  private static final int KIND_OBSERVATION = 0;
  private static final int KIND_GRID = 1;
  private static final String SLOT = "_slot";
  private static final String WEIGHT = "_weight";
  private static final String OBS = "_obs";
  private static final String OBS_TEMP = "_obs_temp";
  private static final double MICROS_PER_MINUTE = 60_000_000.0;

  private WeatherAligner() {}

  /** Adds aligned weather columns to {@code grid} (region, ts, …); null where a region has none. */
  public static Dataset<Row> align(Dataset<Row> grid, Dataset<Row> weather, RegionMap regions) {
    int slots = regions.all().stream().mapToInt(r -> r.stations().size()).max().orElse(0);
    if (slots == 0) {
      return grid.withColumn(TEMP_C, lit(null).cast(DataTypes.DoubleType))
          .withColumn(WEATHER_AGE_MIN, lit(null).cast(DataTypes.DoubleType));
    }
    Dataset<Row> stations = stationSlots(grid.sparkSession(), regions);
    Dataset<Row> observations =
        weather
            .select(
                col(RawWeatherTable.STATION),
                col(RawWeatherTable.TS).as(SeriesColumns.TS),
                col(RawWeatherTable.TEMP_C).cast(DataTypes.DoubleType).as(OBS_TEMP))
            .where(col(OBS_TEMP).isNotNull().and(col(SeriesColumns.TS).isNotNull()))
            .join(broadcast(stations), RawWeatherTable.STATION)
            .select(
                col(SeriesColumns.REGION),
                col(SeriesColumns.TS),
                col(SLOT),
                col(OBS_TEMP),
                struct(col(OBS_TEMP).as("temp"), col(SeriesColumns.TS).as("ts"), col(WEIGHT).as("weight"))
                    .as(OBS),
                lit(KIND_OBSERVATION).as(KIND));
    Dataset<Row> gridRows = grid.withColumn(KIND, lit(KIND_GRID));
    Dataset<Row> combined = gridRows.unionByName(observations, true);
    // (ts, kind, value) orders every row that could matter: equal keys are equal observations.
    WindowSpec running =
        Window.partitionBy(SeriesColumns.REGION)
            .orderBy(col(SeriesColumns.TS), col(KIND), col(OBS_TEMP))
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    List<String> latest = new ArrayList<>();
    for (int slot = 0; slot < slots; slot++) {
      String name = "_latest_" + slot;
      latest.add(name);
      combined =
          combined.withColumn(name, last(when(col(SLOT).equalTo(slot), col(OBS)), true).over(running));
    }
    Column weighted = lit(0.0);
    Column weights = lit(0.0);
    List<Column> stamps = new ArrayList<>();
    for (String name : latest) {
      weighted = weighted.plus(when(col(name).isNotNull(), col(name + ".temp").multiply(col(name + ".weight"))).otherwise(0.0));
      weights = weights.plus(when(col(name).isNotNull(), col(name + ".weight")).otherwise(0.0));
      stamps.add(col(name + ".ts"));
    }
    Column oldest = stamps.size() == 1 ? stamps.get(0) : least(stamps.toArray(new Column[0]));
    Dataset<Row> aligned =
        combined
            .where(col(KIND).equalTo(KIND_GRID))
            .withColumn(TEMP_C, when(weights.gt(0.0), weighted.divide(weights)))
            .withColumn(
                WEATHER_AGE_MIN,
                unix_micros(col(SeriesColumns.TS)).minus(unix_micros(oldest)).divide(MICROS_PER_MINUTE));
    List<String> helpers = new ArrayList<>(List.of(KIND, SLOT, OBS, OBS_TEMP));
    helpers.addAll(latest);
    return aligned.drop(helpers.toArray(new String[0]));
  }

  /** One row per (region, station): the station's slot in its region (by name) and its weight. */
  private static Dataset<Row> stationSlots(SparkSession spark, RegionMap regions) {
    List<Row> rows = new ArrayList<>();
    for (Region region : regions.all()) {
      List<String> names = region.stations().keySet().stream().sorted().toList();
      for (int slot = 0; slot < names.size(); slot++) {
        String station = names.get(slot);
        rows.add(RowFactory.create(region.name(), station, slot, region.stations().get(station)));
      }
    }
    StructType schema =
        new StructType()
            .add(SeriesColumns.REGION, DataTypes.StringType)
            .add(RawWeatherTable.STATION, DataTypes.StringType)
            .add(SLOT, DataTypes.IntegerType)
            .add(WEIGHT, DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
