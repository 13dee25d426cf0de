package io.nowcast.ingest.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.store.RawTableWriter;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a run's raw load rows for a UTC time span without erasing the rest of the months it touches. The
 * table is written with dynamic partition overwrite by {@code source} and {@code month}; a run covering part
 * of a month would otherwise replace the whole month with its part. Rule: the run owns {@code [from, to)};
 * existing rows of the rewritten partitions outside it are written back unchanged.
 */
public final class ExistingRangeMerge {
  private ExistingRangeMerge() {}

  /**
   * Writes {@code fresh} (raw load schema, all rows of one {@code source}, inside {@code [from, to)}).
   *
   * @param months the {@code month} values of {@code fresh}
   * @return the number of existing rows written back
   */
  public static long write(
      SparkSession spark, Dataset<Row> fresh, String source, Collection<String> months, Instant from,
      Instant to, String dataRoot) {
    String table = TablePaths.resolve(dataRoot, RawLoadTable.PATH);
    List<String> partitions = existing(spark, table, source, months);
    if (partitions.isEmpty()) {
      RawTableWriter.writeLoad(fresh, dataRoot);
      return 0;
    }
    Dataset<Row> kept =
        spark.read().schema(RawLoadTable.SCHEMA).option("basePath", table)
            .parquet(partitions.toArray(String[]::new))
            .filter(col(RawLoadTable.TS).lt(lit(Timestamp.from(from)))
                .or(col(RawLoadTable.TS).geq(lit(Timestamp.from(to)))));
    // Materialised with its lineage cut before the partitions it was read from are overwritten: a lost
    // cached block must not be recomputed from files the write has already deleted.
    Dataset<Row> keptNow = kept.localCheckpoint(true);
    long keptRows = keptNow.count();
    RawTableWriter.writeLoad(fresh.unionByName(keptNow), dataRoot);
    return keptRows;
  }

  private static List<String> existing(SparkSession spark, String table, String source, Collection<String> months) {
    List<String> found = new ArrayList<>();
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String month : months) {
        Path p = new Path(root, RawLoadTable.SOURCE + "=" + source + "/" + RawLoadTable.MONTH + "=" + month);
        if (fs.exists(p)) {
          found.add(p.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list existing partitions of " + table, e);
    }
    return found;
  }
}
