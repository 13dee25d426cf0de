package io.nowcast.ingest.quality;

import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a quality report under the data root (any Hadoop file system): the table to {@code
 * quality/report/source=<source>} (Parquet, replaced per source) and the summary to {@code
 * quality/summary/<source>.json}.
 */
public final class QualityReportWriter {
  private QualityReportWriter() {}

  /** Where the files went. */
  public record Written(String table, String json) {}

  public static Written write(SparkSession spark, QualityResult result, String dataRoot, String source) {
    String table = TablePaths.resolve(dataRoot, QualityReportTable.PATH + "/source=" + source);
    result.report().coalesce(1).write().mode(SaveMode.Overwrite).parquet(table);
    String json = TablePaths.resolve(dataRoot, "quality/summary/" + source + ".json");
    try {
      Path path = new Path(json);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        out.write(result.summary().toJson(source).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the quality summary " + json + ": " + e.getMessage(), e);
    }
    return new Written(table, json);
  }
}
