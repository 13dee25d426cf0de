package io.nowcast.ingest.weather;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The input of {@link WeatherTableIngest}: one row per source file with its bytes, whatever brought it
 * (unpacked from an archive on an executor, or fetched over HTTP on the driver).
 */
public final class WeatherFiles {
  /** Where the file came from: archive path or base URL; shown in reports. */
  public static final String CONTAINER = "container";
  /** File name or full URL; the parser reads station and period from it. */
  public static final String FILE = "file";
  public static final String CONTENT = "content";

  public static final StructType SCHEMA =
      new StructType()
          .add(CONTAINER, DataTypes.StringType, false)
          .add(FILE, DataTypes.StringType, false)
          .add(CONTENT, DataTypes.BinaryType, false);

  private WeatherFiles() {}
}
