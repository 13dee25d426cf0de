package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes a weather run's quarantined lines to {@code <dataRoot>/quarantine/<source>} ({@link
 * QuarantineTable}). Weather files are keyed by the first day of their period (a month, a station-year), so
 * several files share a partition; a run therefore rewrites the partitions of the files it read with its own
 * lines plus the existing lines of <em>other</em> files. The table always holds the last ingest of each file,
 * and a file that is clean now loses its old lines.
 */
final class WeatherQuarantineWriter {
  private WeatherQuarantineWriter() {}

  /**
   * @param lines this run's lines in {@link QuarantineTable#SCHEMA} columns
   * @param days the quarantine partitions of the files the run read
   * @param filesRead the {@link QuarantineTable#FILE} values of those files
   */
  static void write(SparkSession spark, Dataset<Row> lines, boolean hasLines, Set<String> days,
      Collection<String> filesRead, String dataRoot, String source) {
    String table = TablePaths.resolve(dataRoot, QuarantineTable.path(source));
    List<String> existing = existingPartitions(spark, table, days);
    if (existing.isEmpty() && !hasLines) {
      return;
    }
    Column[] columns =
        Arrays.stream(QuarantineTable.SCHEMA.fieldNames()).map(functions::col).toArray(Column[]::new);
    Dataset<Row> all = lines.select(columns);
    Dataset<Row> merged = all;
    if (!existing.isEmpty()) {
      Dataset<Row> others =
          spark.read().schema(QuarantineTable.SCHEMA).option("basePath", table)
              .parquet(existing.toArray(String[]::new))
              .filter(not(col(QuarantineTable.FILE).isin(filesRead.toArray())))
              .select(columns);
      // Materialised before the partitions it was read from are replaced.
      merged = all.unionByName(others).persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      Set<String> written = new TreeSet<>(
          merged.select(QuarantineTable.DAY).distinct().as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList());
      if (!written.isEmpty()) {
        merged.repartition(col(QuarantineTable.DAY))
            .sortWithinPartitions(QuarantineTable.FILE, QuarantineTable.LINE)
            .write()
            .mode(SaveMode.Overwrite)
            .option("partitionOverwriteMode", "dynamic")
            .partitionBy(QuarantineTable.DAY)
            .parquet(table);
      }
      deleteEmptied(spark, table, existing, written);
    } finally {
      if (merged != all) {
        merged.unpersist();
      }
    }
  }

  private static List<String> existingPartitions(SparkSession spark, String table, Set<String> days) {
    List<String> found = new ArrayList<>();
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String day : days) {
        Path partition = new Path(root, QuarantineTable.DAY + "=" + day);
        if (fs.exists(partition)) {
          found.add(partition.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list quarantine partitions of " + table, e);
    }
    return found;
  }

  /** Removes existing partitions that hold no line any more (their files are clean now). */
  private static void deleteEmptied(
      SparkSession spark, String table, List<String> existing, Set<String> written) {
    try {
      for (String partition : existing) {
        Path path = new Path(partition);
        String day = path.getName().substring(QuarantineTable.DAY.length() + 1);
        if (!written.contains(day)) {
          path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove emptied quarantine partitions of " + table, e);
    }
  }
}
