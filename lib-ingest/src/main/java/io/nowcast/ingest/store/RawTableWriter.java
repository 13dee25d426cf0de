package io.nowcast.ingest.store;

import io.nowcast.ingest.contract.RawIsoForecastTable;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;

/**
 * Writes the raw tables in their contract layout. Partitions are replaced whole ("dynamic" partition
 * overwrite): re-running a range rewrites exactly the partitions it covers and leaves the others alone,
 * and Spark's commit protocol keeps a half-written partition invisible. One file per partition, rows
 * sorted by key, so a month of 5-minute data for a dozen regions is one ~1-2 MB file, not thousands.
 */
public final class RawTableWriter {
  private RawTableWriter() {}

  private static Column[] columns(String[] names) {
    return Arrays.stream(names).map(functions::col).toArray(Column[]::new);
  }

  /** Writes rows of the raw load schema under {@code root/raw/load}. */
  public static void writeLoad(Dataset<Row> load, String root) {
    Dataset<Row> ordered =
        load.select(columns(RawLoadTable.SCHEMA.fieldNames()))
            .repartition(functions.col(RawLoadTable.SOURCE), functions.col(RawLoadTable.MONTH))
            .sortWithinPartitions(RawLoadTable.REGION, RawLoadTable.TS);
    ordered
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(RawLoadTable.SOURCE, RawLoadTable.MONTH)
        .parquet(TablePaths.resolve(root, RawLoadTable.PATH));
  }

  /** Writes rows of the ISO forecast schema under {@code root/raw/iso_forecast}. */
  public static void writeIsoForecast(Dataset<Row> forecast, String root) {
    forecast
        .select(columns(RawIsoForecastTable.SCHEMA.fieldNames()))
        .repartition(functions.col(RawIsoForecastTable.SOURCE), functions.col(RawIsoForecastTable.MONTH))
        .sortWithinPartitions(
            RawIsoForecastTable.REGION, RawIsoForecastTable.ISSUE_DATE, RawIsoForecastTable.TARGET_TS)
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(RawIsoForecastTable.SOURCE, RawIsoForecastTable.MONTH)
        .parquet(TablePaths.resolve(root, RawIsoForecastTable.PATH));
  }

  /** Writes rows of the raw weather schema under {@code root/raw/weather}. */
  public static void writeWeather(Dataset<Row> weather, String root) {
    Dataset<Row> ordered =
        weather
            .select(columns(RawWeatherTable.SCHEMA.fieldNames()))
            .repartition(functions.col(RawWeatherTable.SOURCE), functions.col(RawWeatherTable.YEAR))
            .sortWithinPartitions(RawWeatherTable.STATION, RawWeatherTable.TS);
    ordered
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(RawWeatherTable.SOURCE, RawWeatherTable.YEAR)
        .parquet(TablePaths.resolve(root, RawWeatherTable.PATH));
  }
}
