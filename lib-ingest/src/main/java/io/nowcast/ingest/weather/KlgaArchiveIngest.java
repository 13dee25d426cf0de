package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.col;

import io.nowcast.ingest.report.IngestReport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Ingests the LaGuardia observation archive ({@code klga_hourly_wu.zip}: monthly {@code
 * KLGA_hourly_weather_YYYY_M.csv}) into the raw weather table, station {@value KlgaCsvParser#STATION},
 * source {@value #SOURCE}, in contract units (see {@link KlgaCsvParser}).
 *
 * <p>The zip is read with Spark's {@code binaryFile} source (any Hadoop file system) and unpacked on an
 * executor; its ~180 monthly entries are then spread over the cores and parsed in parallel ({@link
 * KlgaCsvParser}), so nothing but counts passes through the driver.
 */
public final class KlgaArchiveIngest {
  /** The {@code source} value of the rows and the quarantine table's name. */
  public static final String SOURCE = "klga-wu";

  private KlgaArchiveIngest() {}

  /**
   * @param spark a session with time zone UTC
   * @param zipPath path or URI of the archive (any Hadoop file system)
   * @param dataRoot the data root ({@code file:}, {@code s3a://} or a local path)
   * @throws WeatherFormatException if the archive or a file in it is unreadable; nothing is written then
   */
  public static IngestReport run(SparkSession spark, String zipPath, String dataRoot) {
    WeatherTableIngest.requireUtcSession(spark);
    Dataset<Row> entries =
        spark.read().format("binaryFile").load(zipPath)
            .select(ZipEntriesFunction.BINARY_PATH, ZipEntriesFunction.BINARY_CONTENT)
            .flatMap(new ZipEntriesFunction(), Encoders.row(WeatherFiles.SCHEMA));
    // A few entries per core keeps tasks even without knowing the entry count up front (a job to find it
    // would unzip twice); hash partitioning by name is deterministic.
    int partitions = Math.max(2, spark.sparkContext().defaultParallelism() * 4);
    Dataset<Row> spread = entries.repartition(partitions, col(WeatherFiles.FILE));
    return new WeatherTableIngest(SOURCE, new KlgaCsvParser()).run(spark, spread, dataRoot);
  }
}
