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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * at equal stamps) and, per station slot and variable, a running {@code last(…, ignoreNulls)}: O(n),
 * no range join, no group-by, GPU-friendly. A region's stations occupy slots 0…k−1 (sorted by name)
 * and are combined by one fixed-order expression, so the floating-point result does not depend on
 * partitioning.
 *
 * <p>Variables: {@code temp_c}, {@code rh_pct} and {@code dewpoint_c}, each aligned on its own (a
 * station's latest observation that has that variable), so a report without humidity does not blank
 * the humidity. A variable whose column is absent from the weather input comes out null.
 *
 * <p>Invariants: a grid instant never sees an observation stamped after it (an observation stamped
 * exactly at the instant is used). Adds {@code temp_c}, {@code weather_age_min} (the minutes since the
 * oldest observation that went into {@code temp_c}, so a model can discount stale values), {@code
 * rh_pct} and {@code dewpoint_c}; all are null until one of the region's stations has reported, and for
 * regions with no stations. Duplicate observations of one station at one stamp resolve to the one with
 * the largest (temperature, humidity, dew point), independent of row order.
 */
public final class WeatherAligner {
  public static final String TEMP_C = "temp_c";
  public static final String WEATHER_AGE_MIN = "weather_age_min";
  public static final String RH_PCT = "rh_pct";
  public static final String DEWPOINT_C = "dewpoint_c";

  // Row kinds of the union; observations sort before grid rows at the same instant, so an
  // observation stamped exactly at issue time counts as available.
  private static final String KIND = "_kind";
  private static final int KIND_OBSERVATION = 0;
  private static final int KIND_GRID = 1;
  private static final String SLOT = "_slot";
  private static final String WEIGHT = "_weight";
  private static final double MICROS_PER_MINUTE = 60_000_000.0;
  /** Aligned output column → raw weather column, in output order after {@link #WEATHER_AGE_MIN}. */
  private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put(TEMP_C, RawWeatherTable.TEMP_C);
    VARIABLES.put(RH_PCT, RawWeatherTable.RH_PCT);
    VARIABLES.put(DEWPOINT_C, RawWeatherTable.DEWPOINT_C);
  }

  private WeatherAligner() {}

  /** Adds aligned weather columns to {@code grid} (region, ts, …); null where a region has none. */
  public static Dataset<Row> align(Dataset<Row> grid, Dataset<Row> weather, RegionMap regions) {
    int slots = regions.all().stream().mapToInt(r -> r.stations().size()).max().orElse(0);
    if (slots == 0) {
      return grid.withColumn(TEMP_C, lit(null).cast(DataTypes.DoubleType))
          .withColumn(WEATHER_AGE_MIN, lit(null).cast(DataTypes.DoubleType))
          .withColumn(RH_PCT, lit(null).cast(DataTypes.DoubleType))
          .withColumn(DEWPOINT_C, lit(null).cast(DataTypes.DoubleType));
    }
    Dataset<Row> stations = stationSlots(grid.sparkSession(), regions);
    List<String> weatherColumns = List.of(weather.columns());
    List<Column> values = new ArrayList<>();
    Column anyValue = lit(false);
    for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
      Column value =
          weatherColumns.contains(variable.getValue())
              ? col(variable.getValue()).cast(DataTypes.DoubleType)
              : lit(null).cast(DataTypes.DoubleType);
      values.add(value.as(obs(variable.getKey())));
      anyValue = anyValue.or(col(obs(variable.getKey())).isNotNull());
    }
    List<Column> observationColumns = new ArrayList<>();
    observationColumns.add(col(RawWeatherTable.STATION));
    observationColumns.add(col(RawWeatherTable.TS).as(SeriesColumns.TS));
    observationColumns.addAll(values);
    List<Column> unionColumns =
        new ArrayList<>(List.of(col(SeriesColumns.REGION), col(SeriesColumns.TS), col(SLOT), col(WEIGHT)));
    VARIABLES.keySet().forEach(name -> unionColumns.add(col(obs(name))));
    unionColumns.add(lit(KIND_OBSERVATION).as(KIND));
    Dataset<Row> observations =
        weather
            .select(observationColumns.toArray(new Column[0]))
            .where(anyValue.and(col(SeriesColumns.TS).isNotNull()))
            .join(broadcast(stations), RawWeatherTable.STATION)
            .select(unionColumns.toArray(new Column[0]));
    Dataset<Row> gridRows = grid.withColumn(KIND, lit(KIND_GRID));
    Dataset<Row> combined = gridRows.unionByName(observations, true);
    // (ts, kind, values) orders every row that could matter: equal keys are equal observations.
    List<Column> order = new ArrayList<>(List.of(col(SeriesColumns.TS), col(KIND)));
    VARIABLES.keySet().forEach(name -> order.add(col(obs(name))));
    WindowSpec running =
        Window.partitionBy(SeriesColumns.REGION)
            .orderBy(order.toArray(new Column[0]))
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Map<String, Column> latest = new LinkedHashMap<>();
    for (String variable : VARIABLES.keySet()) {
      for (int slot = 0; slot < slots; slot++) {
        Column observation =
            struct(col(obs(variable)).as("value"), col(SeriesColumns.TS).as("ts"), col(WEIGHT).as("weight"));
        latest.put(
            latest(variable, slot),
            last(when(col(SLOT).equalTo(slot).and(col(obs(variable)).isNotNull()), observation), true)
                .over(running));
      }
    }
    Dataset<Row> aligned = withColumns(combined, latest).where(col(KIND).equalTo(KIND_GRID));
    Map<String, Column> outputs = new LinkedHashMap<>();
    for (String variable : VARIABLES.keySet()) {
      outputs.put(variable, weightedMean(variable, slots));
      if (variable.equals(TEMP_C)) {
        List<Column> stamps = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
          stamps.add(col(latest(TEMP_C, slot) + ".ts"));
        }
        Column oldest = stamps.size() == 1 ? stamps.get(0) : least(stamps.toArray(new Column[0]));
        outputs.put(
            WEATHER_AGE_MIN,
            unix_micros(col(SeriesColumns.TS)).minus(unix_micros(oldest)).divide(MICROS_PER_MINUTE));
      }
    }
    List<String> helpers = new ArrayList<>(List.of(KIND, SLOT, WEIGHT));
    VARIABLES.keySet().forEach(name -> helpers.add(obs(name)));
    helpers.addAll(latest.keySet());
    return withColumns(aligned, outputs).drop(helpers.toArray(new String[0]));
  }

  /** Σ weight·value / Σ weight over the slots that have reported {@code variable}; null if none. */
  private static Column weightedMean(String variable, int slots) {
    Column weighted = lit(0.0);
    Column weights = lit(0.0);
    for (int slot = 0; slot < slots; slot++) {
      String name = latest(variable, slot);
      weighted =
          weighted.plus(
              when(col(name).isNotNull(), col(name + ".value").multiply(col(name + ".weight"))).otherwise(0.0));
      weights = weights.plus(when(col(name).isNotNull(), col(name + ".weight")).otherwise(0.0));
    }
    return when(weights.gt(0.0), weighted.divide(weights));
  }

  private static String obs(String variable) {
    return "_obs_" + variable;
  }

  private static String latest(String variable, int slot) {
    return "_latest_" + variable + "_" + slot;
  }

  /** Adds {@code columns} in order with one projection. */
  private static Dataset<Row> withColumns(Dataset<Row> frame, Map<String, Column> columns) {
    List<Column> all = new ArrayList<>();
    all.add(col("*"));
    columns.forEach((name, value) -> all.add(value.as(name)));
    return frame.select(all.toArray(new Column[0]));
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
