package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;

/**
 * Keeps a partial-month run from erasing data. The raw load table is partitioned by UTC month and written
 * with dynamic partition overwrite, but source files cover <em>local</em> days: the November archive also
 * fills the first hours of December UTC, and the October archive the first hours of November UTC. Writing a
 * run's rows alone would replace the whole December partition with five hours (or, run the other way round,
 * drop November's first hours).
 *
 * <p>Rule: a run owns the local days of the files it read. Rows already in the partitions it rewrites are
 * written back unchanged when their local day is not one of those; where such a row and a row of this run
 * share a region and time (a stamp snapped across midnight into a day the run does not own), the existing
 * row stays. So ingesting months one at a time, in any order, gives the same table as one run over all.
 */
final class ExistingRowsMerge {
  /** Extra columns carried next to the contract columns; {@code null} on rows kept from the table. */
  static final String ARCHIVE = PalParseFunction.ARCHIVE;
  static final String FILE = PalParseFunction.FILE;

  private ExistingRowsMerge() {}

  /**
   * The rows to write, columns of {@code fresh}.
   *
   * @param rows this run's rows not superseded, plus the kept existing rows (with a null {@link #ARCHIVE} and
   *     {@link #FILE})
   * @param keepsExisting false when none of the partitions exists yet: {@code rows} is then {@code fresh}
   */
  record Result(Dataset<Row> rows, boolean keepsExisting) {}

  /**
   * Merges this run's rows with the rows to keep from the partitions it rewrites.
   *
   * @param fresh this run's rows: the raw load columns plus {@link #ARCHIVE} and {@link #FILE}
   * @param months the {@code month} partitions {@code fresh} will rewrite
   * @param ownedDays local days ({@code yyyy-MM-dd}) of the files this run read
   * @param localZone the zone the days are local to
   * @return the rows to write
   */
  static Result merge(
      SparkSession spark,
      Dataset<Row> fresh,
      String dataRoot,
      String source,
      Collection<String> months,
      Collection<String> ownedDays,
      String localZone) {
    String table = TablePaths.resolve(dataRoot, RawLoadTable.PATH);
    List<String> partitions = existingPartitions(spark, table, source, months);
    if (partitions.isEmpty()) {
      return new Result(fresh, false);
    }
    Column localDay = date_format(from_utc_timestamp(col(RawLoadTable.TS), localZone), "yyyy-MM-dd");
    Dataset<Row> existingKept =
        spark
            .read()
            .schema(RawLoadTable.SCHEMA)
            .option("basePath", table)
            .parquet(partitions.toArray(String[]::new))
            .filter(not(localDay.isin(ownedDays.toArray())))
            .withColumn(ARCHIVE, lit(null).cast(DataTypes.StringType))
            .withColumn(FILE, lit(null).cast(DataTypes.StringType));
    Dataset<Row> keys = existingKept.select(RawLoadTable.REGION, RawLoadTable.TS);
    scala.collection.Seq<String> joinKey =
        JavaConverters.asScalaBuffer(List.of(RawLoadTable.REGION, RawLoadTable.TS)).toList();
    return new Result(fresh.join(keys, joinKey, "left_anti").unionByName(existingKept), true);
  }

  /** Partition folders of {@code source} for {@code months} that already exist (file: or s3a: alike). */
  private static List<String> existingPartitions(
      SparkSession spark, String table, String source, Collection<String> months) {
    List<String> found = new ArrayList<>();
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String month : months) {
        Path partition =
            new Path(root, RawLoadTable.SOURCE + "=" + source + "/" + RawLoadTable.MONTH + "=" + month);
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
