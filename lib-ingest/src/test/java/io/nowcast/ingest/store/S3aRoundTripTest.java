package io.nowcast.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.nyiso.NyisoPalArchiveIngest;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.testing.S3ProxyExtension;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ingest code writing to {@code s3a://} on a real S3-compatible server on loopback (S3Proxy), with
 * credentials from the AWS provider chain: one real NYISO pal month lands on S3 equal to the same ingest
 * written to a local folder, and a re-run leaves the same rows and the same files.
 */
@ExtendWith(S3ProxyExtension.class)
class S3aRoundTripTest {
  @TempDir Path tmp;

  @Test
  void realMonthOnS3EqualsLocalAndReRunIsIdempotent(S3ProxyExtension.Server s3) throws Exception {
    SparkSession spark = SparkTestSession.get();
    s3.configure(spark.sparkContext().hadoopConfiguration());
    // February 2019: the shortest real month keeps the test quick.
    String archive = SharedData.require("nyiso/pal/20190201pal_csv.zip").toUri().toString();
    String s3Root = s3.uri("root");
    String localRoot = tmp.resolve("local").toUri().toString();

    IngestReport toS3 = new NyisoPalArchiveIngest().run(spark, List.of(archive), s3Root);
    IngestReport toLocal = new NyisoPalArchiveIngest().run(spark, List.of(archive), localRoot);

    Dataset<Row> onS3 = rows(spark, s3Root);
    Dataset<Row> local = rows(spark, localRoot);
    long written = toS3.totals().rowsWritten();
    assertTrue(written > 11 * 24 * 12 * 27, "a month of 11 zones, got " + written);
    assertEquals(toLocal.totals().rowsWritten(), written);
    assertEquals(written, onS3.count(), "rows read back from S3 = rows the report says were written");
    assertSameRows(local, onS3);
    List<String> filesBefore = dataFiles(spark, s3Root);

    IngestReport again = new NyisoPalArchiveIngest().run(spark, List.of(archive), s3Root);
    assertEquals(written, again.totals().rowsWritten());
    assertSameRows(local, rows(spark, s3Root));
    assertEquals(filesBefore.size(), dataFiles(spark, s3Root).size(), "re-run replaced, not added, files");
  }

  /** The table without {@code ingested_at}, which differs between runs by design. */
  private static Dataset<Row> rows(SparkSession spark, String root) {
    return spark.read().parquet(root + "/" + RawLoadTable.PATH)
        .select(RawLoadTable.REGION, RawLoadTable.TS, RawLoadTable.LOAD_MW, RawLoadTable.SOURCE,
            RawLoadTable.INTERVAL_MIN, RawLoadTable.MONTH);
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.count(), actual.count());
    assertEquals(0, expected.exceptAll(actual).count());
    assertEquals(0, actual.exceptAll(expected).count());
  }

  /** Parquet files under the raw load table (listed through S3A, so the listing itself is tested too). */
  private static List<String> dataFiles(SparkSession spark, String root) throws Exception {
    org.apache.hadoop.fs.Path table = new org.apache.hadoop.fs.Path(root + "/" + RawLoadTable.PATH);
    FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> files = new java.util.ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(table, true);
    while (it.hasNext()) {
      String name = it.next().getPath().toString();
      if (name.endsWith(".parquet")) {
        files.add(name);
      }
    }
    assertTrue(!files.isEmpty(), "no parquet files under " + table);
    return files;
  }
}
