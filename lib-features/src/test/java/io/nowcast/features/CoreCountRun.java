package io.nowcast.features;

import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.ingest.region.RegionMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The child JVM of {@link CoreCountInvarianceTest}: one SparkSession with the given master (a JVM holds
 * only one SparkContext, and the tests' shared session must stay up), the default feature spec over the
 * given raw load and weather, written to Parquet; the parallelism goes to {@code <output dir>.cores.txt}.
 *
 * <p>Arguments: master, raw load dir, raw weather dir, output dir, shuffle partitions.
 */
public final class CoreCountRun {
  private CoreCountRun() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder()
        .master(args[0])
        .appName("nowcast-core-count-" + args[0])
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", args[4])
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      new FeatureBuilder(FeatureSpec.defaults(), RegionMap.nyiso())
          .build(spark.read().parquet(args[1]), Optional.of(spark.read().parquet(args[2])))
          .write().mode(SaveMode.Overwrite).parquet(args[3]);
      Files.writeString(Path.of(args[3] + ".cores.txt"),
          String.valueOf(spark.sparkContext().defaultParallelism()), StandardCharsets.UTF_8);
    } finally {
      spark.stop();
    }
  }
}
