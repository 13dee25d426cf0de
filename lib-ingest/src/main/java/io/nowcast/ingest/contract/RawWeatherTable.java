package io.nowcast.ingest.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The raw weather table (DESIGN §4): station observations in UTC and SI units, partitioned by
 * {@link #SOURCE} and {@link #YEAR}.
 */
public final class RawWeatherTable {
  public static final String STATION = "station";
  public static final String TS = "ts";
  public static final String TEMP_C = "temp_c";
  public static final String DEWPOINT_C = "dewpoint_c";
  public static final String RH_PCT = "rh_pct";
  public static final String WIND_MPS = "wind_mps";
  public static final String PRESSURE_HPA = "pressure_hpa";
  public static final String PRECIP_MM = "precip_mm";
  public static final String SOURCE = "source";
  /** Partition column: calendar year of {@link #TS} in UTC. */
  public static final String YEAR = "year";

  /** Relative path of the table under the data root. */
  public static final String PATH = "raw/weather";

  /** Schema of the data columns (the partition columns included). */
  public static final StructType SCHEMA =
      new StructType()
          .add(STATION, DataTypes.StringType, false)
          .add(TS, DataTypes.TimestampType, false)
          .add(TEMP_C, DataTypes.DoubleType, true)
          .add(DEWPOINT_C, DataTypes.DoubleType, true)
          .add(RH_PCT, DataTypes.DoubleType, true)
          .add(WIND_MPS, DataTypes.DoubleType, true)
          .add(PRESSURE_HPA, DataTypes.DoubleType, true)
          .add(PRECIP_MM, DataTypes.DoubleType, true)
          .add(SOURCE, DataTypes.StringType, false)
          .add(YEAR, DataTypes.IntegerType, false);

  private RawWeatherTable() {}
}
