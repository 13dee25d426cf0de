package io.nowcast.ingest.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The raw load table (DESIGN §4): one row per region per interval, timestamps in UTC, partitioned by
 * {@link #SOURCE} and {@link #MONTH} and sorted by region and time inside each partition.
 */
public final class RawLoadTable {
  /** Region (zone, TAC area or synthetic region) name. */
  public static final String REGION = "region";
  /** Start of the interval, UTC. */
  public static final String TS = "ts";
  /** Average load over the interval, MW. */
  public static final String LOAD_MW = "load_mw";
  /** Which adapter produced the row (e.g. {@code nyiso-pal}, {@code synthetic}). */
  public static final String SOURCE = "source";
  /** Interval length in minutes (5 for NYISO/CAISO real-time data). */
  public static final String INTERVAL_MIN = "interval_min";
  /** When the ingest job wrote the row, UTC. */
  public static final String INGESTED_AT = "ingested_at";
  /** Partition column {@code yyyy-MM} of {@link #TS} in UTC. */
  public static final String MONTH = "month";

  /** Relative path of the table under the data root. */
  public static final String PATH = "raw/load";

  /** Schema of the data columns (the partition columns {@link #SOURCE} and {@link #MONTH} included). */
  public static final StructType SCHEMA =
      new StructType()
          .add(REGION, DataTypes.StringType, false)
          .add(TS, DataTypes.TimestampType, false)
          .add(LOAD_MW, DataTypes.DoubleType, true)
          .add(SOURCE, DataTypes.StringType, false)
          .add(INTERVAL_MIN, DataTypes.IntegerType, false)
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add(MONTH, DataTypes.StringType, false);

  private RawLoadTable() {}
}
