package io.nowcast.jobs;

import io.nowcast.features.FeatureTable;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Where each table and model lives under the data root. */
public record DataPaths(String root) {
  public String rawLoad() {
    return TablePaths.resolve(root, RawLoadTable.PATH);
  }

  public String rawWeather() {
    return TablePaths.resolve(root, RawWeatherTable.PATH);
  }

  public String features(String source) {
    return TablePaths.resolve(root, FeatureTable.PATH + "/source=" + source);
  }

  public String xgbModel(String source) {
    return TablePaths.resolve(root, "models/xgb/source=" + source);
  }

  /** The predictions table of {@code source} (DESIGN §4), as {@code nowcast predict} writes it. */
  public String predictions(String source) {
    return TablePaths.resolve(root, "predictions/source=" + source);
  }

  public String reports() {
    return TablePaths.resolve(root, "reports");
  }

  /** Whether {@code path} exists, on whatever file system it names. */
  public static boolean exists(SparkSession spark, String path) {
    try {
      Path hadoopPath = new Path(path);
      return hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(hadoopPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
    }
  }
}
