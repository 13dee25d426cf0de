package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Times {@link ReportWriter#write} on synthetic evaluation rows of a chosen size, read back from
 * Parquet as a job would, and prints one JSON line. Not a test: run it by hand (docs/notes/report.md).
 *
 * <p>Arguments: {@code regions days models} (defaults 1 365 4): 5-minute issue times, 4 horizons; the
 * first model has quantiles.
 */
public final class ReportBenchmark {
  private ReportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int regions = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
    int models = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    SparkSession spark = SparkSession.builder()
        .master(System.getProperty("spark.master", "local[2]"))
        .appName("report-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path work = Files.createTempDirectory("report-benchmark-");
    try {
      long issues = days * 288L;
      Dataset<Row> base = spark.range(regions * issues)
          .withColumn("region", concat(lit("R"), (col("id").mod(regions)).cast("string")))
          .withColumn("issue_ts", col("id").divide(regions).cast("long").multiply(300).plus(1546300800L)
              .cast(DataTypes.TimestampType));
      Dataset<Row> horizons = spark.createDataFrame(
          List.of(RowFactory.create(15), RowFactory.create(30), RowFactory.create(45), RowFactory.create(60)),
          new StructType().add("horizon_min", DataTypes.IntegerType));
      Dataset<Row> modelNames = spark.range(models).withColumn("model",
          when(col("id").equalTo(0), lit("xgboost")).otherwise(concat(lit("baseline_"), col("id").cast("string"))))
          .drop("id");
      Dataset<Row> rows = base.crossJoin(horizons).crossJoin(modelNames)
          .withColumn("target_ts", col("issue_ts").plus(expr("make_interval(0, 0, 0, 0, 0, horizon_min, 0)")))
          .withColumn("actual_mw", lit(5000).multiply(lit(1).plus(lit(0.12).multiply(
              sin(col("target_ts").cast("long").divide(86400.0 / (2 * Math.PI)))))).plus(randn(1).multiply(40)))
          .withColumn("p50", col("actual_mw").plus(randn(2).multiply(col("horizon_min")).multiply(
              when(col("model").equalTo("xgboost"), 1.0).otherwise(3.0))))
          .withColumn("p10", when(col("model").equalTo("xgboost"), col("p50").minus(col("horizon_min").multiply(1.3))))
          .withColumn("p90", when(col("model").equalTo("xgboost"), col("p50").plus(col("horizon_min").multiply(1.3))))
          .select("region", "issue_ts", "horizon_min", "target_ts", "model", "p10", "p50", "p90", "actual_mw");
      String parquet = work.resolve("rows").toString();
      rows.write().mode(SaveMode.Overwrite).parquet(parquet);
      Dataset<Row> stored = spark.read().parquet(parquet);
      long count = stored.count();
      Map<String, Double> importance = new HashMap<>();
      for (int i = 0; i < 60; i++) {
        importance.put("feature_" + i, 100.0 / (i + 1));
      }
      long t0 = System.nanoTime();
      ReportResult result = ReportWriter.write(stored, List.of(), importance,
          new RunMetadata("benchmark", "", "", "", Map.of()),
          ReportSpec.defaults().withZone(ZoneId.of("America/New_York")), work.resolve("report"));
      double seconds = (System.nanoTime() - t0) / 1e9;
      long bytes = 0;
      for (Path p : result.charts()) {
        bytes += Files.size(p);
      }
      System.out.println(String.format(Locale.ROOT,
          "{\"benchmark\":\"report\",\"rows\":%d,\"regions\":%d,\"days\":%d,\"models\":%d,\"seconds\":%.2f,"
              + "\"spark_aggregates_ms\":%d,\"render_png_ms\":%d,\"write_files_ms\":%d,\"png_bytes\":%d,"
              + "\"html_bytes\":%d,\"cores\":%d}",
          count, regions, days, models, seconds, result.millis().get("spark_aggregates"),
          result.millis().get("render_png"), result.millis().get("write_files"), bytes, Files.size(result.html()),
          Runtime.getRuntime().availableProcessors()));
    } finally {
      spark.stop();
      try (var walk = Files.walk(work)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

}
