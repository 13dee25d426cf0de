package io.nowcast.ingest.nyiso;

import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Writes quarantined lines to {@code <dataRoot>/quarantine/<source>} ({@link QuarantineTable}), replacing
 * exactly the days a run read: days with lines get their partition rewritten, and days that are clean now
 * lose a partition left by an earlier run, so the table always describes the last ingest of each day.
 */
final class QuarantineWriter {
  private QuarantineWriter() {}

  /**
   * @param lines rows with the columns of {@link QuarantineTable#SCHEMA}
   * @param daysWithLines values of {@link QuarantineTable#DAY} present in {@code lines} (empty: nothing to
   *     write)
   * @param ownedDays the days the run read
   */
  static void write(
      SparkSession spark,
      Dataset<Row> lines,
      Set<String> daysWithLines,
      Collection<String> ownedDays,
      String dataRoot,
      String source) {
    String table = TablePaths.resolve(dataRoot, QuarantineTable.path(source));
    if (!daysWithLines.isEmpty()) {
      lines
          .select(
              Arrays.stream(QuarantineTable.SCHEMA.fieldNames()).map(functions::col).toArray(Column[]::new))
          .repartition(functions.col(QuarantineTable.DAY))
          .sortWithinPartitions(QuarantineTable.FILE, QuarantineTable.LINE)
          .write()
          .mode(SaveMode.Overwrite)
          .option("partitionOverwriteMode", "dynamic")
          .partitionBy(QuarantineTable.DAY)
          .parquet(table);
    }
    removeStale(spark, table, daysWithLines, ownedDays);
  }

  private static void removeStale(
      SparkSession spark, String table, Set<String> daysWithLines, Collection<String> ownedDays) {
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return;
      }
      String prefix = QuarantineTable.DAY + "=";
      // One listing instead of an existence check per day: cheap on S3 too.
      for (FileStatus status : fs.listStatus(root)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && name.startsWith(prefix)) {
          String day = name.substring(prefix.length());
          if (ownedDays.contains(day) && !daysWithLines.contains(day)) {
            fs.delete(status.getPath(), true);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean stale quarantine partitions of " + table, e);
    }
  }
}
