package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.lit;

import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;

/**
 * Keeps a run from erasing other stations. The raw weather table is partitioned by source and year and
 * written with dynamic partition overwrite, but a run covers only some stations: ingesting station B for
 * 2019 must not drop station A's 2019. Rule: a run owns the (station, year) pairs it has rows for; rows
 * already in the partitions it rewrites are written back unchanged unless their (station, year) is owned.
 * So stations and years can be ingested in any order and any grouping with the same resulting table.
 */
final class ExistingWeatherRows {
  private ExistingWeatherRows() {}

  /**
   * Existing rows to write back, in the columns of the run's rows (parse columns null), or empty when none of
   * the partitions exists yet.
   *
   * @param owned distinct {@code station, year} of this run's rows
   * @param years the {@code year} partitions the run rewrites
   */
  static Optional<Dataset<Row>> toKeep(
      SparkSession spark, String dataRoot, String source, Collection<Integer> years, Dataset<Row> owned) {
    String table = TablePaths.resolve(dataRoot, RawWeatherTable.PATH);
    List<String> partitions = existing(spark, table, source, years);
    if (partitions.isEmpty()) {
      return Optional.empty();
    }
    scala.collection.Seq<String> key =
        JavaConverters.asScalaBuffer(List.of(RawWeatherTable.STATION, RawWeatherTable.YEAR)).toList();
    Dataset<Row> kept =
        spark
            .read()
            .schema(RawWeatherTable.SCHEMA)
            .option("basePath", table)
            .parquet(partitions.toArray(String[]::new))
            .join(owned, key, "left_anti")
            .withColumn(WeatherParseFunction.CONTAINER, lit(null).cast(DataTypes.StringType))
            .withColumn(WeatherParseFunction.FILE, lit(null).cast(DataTypes.StringType))
            .withColumn(WeatherParseFunction.LINE, lit(null).cast(DataTypes.LongType));
    return Optional.of(kept);
  }

  private static List<String> existing(
      SparkSession spark, String table, String source, Collection<Integer> years) {
    List<String> found = new ArrayList<>();
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (int year : years) {
        Path partition =
            new Path(root, RawWeatherTable.SOURCE + "=" + source + "/" + RawWeatherTable.YEAR + "=" + year);
        if (fs.exists(partition)) {
          found.add(partition.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list existing partitions of " + table, e);
    }
    return found;
  }
}
