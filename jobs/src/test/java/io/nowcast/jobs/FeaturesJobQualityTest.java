package io.nowcast.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.quality.QualityReportTable;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.store.RawTableWriter;
import io.nowcast.ingest.synth.SyntheticGenerator;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.testing.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * FeaturesJob end to end on 3 synthetic days with two planted faults: the spec comes from the project's
 * conf/features.yaml with a few lines changed (so the columns must follow the file), the quality stage
 * repairs the faults, writes its report, and its summary reaches a real MLflow server.
 */
@ExtendWith(MlflowServerExtension.class)
class FeaturesJobQualityTest {
  @TempDir Path home;

  @Test
  void specFileDecidesTheColumnsAndTheQualityReportReachesMlflow(@MlflowUri String trackingUri) throws Exception {
    // The shipped spec with lags [5, 10], windows [60] and rolling min/max off.
    String shipped = Files.readString(Path.of(System.getProperty("nowcast.home", ".."), "conf", "features.yaml"));
    String changed = shipped
        .replaceFirst("windows_minutes: \\[15, 60, 1440, 10080\\]", "windows_minutes: [60]")
        .replaceFirst("minutes: \\[5, 10, 15, 30, 60, 1380[^\\]]*\\]", "minutes: [5, 10]")
        .replaceFirst("(rolling_extrema:[^\\n]*\\n  enabled:) true", "$1 false");
    assertFalse(changed.equals(shipped));
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/features.yaml"), changed, StandardCharsets.UTF_8);

    SparkSession spark = SparkTestSession.get();
    String root = home.resolve("data").toString();
    SyntheticSpec synthetic = new SyntheticSpec(2, LocalDate.of(2023, 6, 5), 3, 5L);
    // Planted: SYN-1 misses 10:00 and 10:05 UTC of 06-06 (a 10-minute gap) and reads -1 MW at 06-07 09:00.
    Column ts = col(RawLoadTable.TS);
    Column syn1 = col(RawLoadTable.REGION).equalTo("SYN-1");
    Dataset<Row> load = SyntheticGenerator.load(spark, synthetic, RegionMap.synthetic(2))
        .where(syn1.and(ts.geq(at("2023-06-06T10:00:00Z"))).and(ts.leq(at("2023-06-06T10:05:00Z"))).unary_$bang())
        .withColumn(RawLoadTable.LOAD_MW, when(syn1.and(ts.equalTo(at("2023-06-07T09:00:00Z"))),
            lit(-1.0)).otherwise(col(RawLoadTable.LOAD_MW)).cast(DataTypes.DoubleType));
    RawTableWriter.writeLoad(load, root);

    NowcastConfig config = ConfigLoader.load("test", home, null, Map.of(),
        Map.of("data_root", root, "synthetic.regions", 2));
    assertEquals(List.of(5, 10), config.features().lagMinutes(), "read from the spec file");
    FeaturesJob.Result result;
    try (RunTracker run = RunTrackers.open(trackingUri, "it-features-quality", "features", Map.of())) {
      result = FeaturesJob.run(spark, config);
      FeaturesJob.logQuality(run, result, config.source());
      run.finish(true);

      List<String> columns = List.of(spark.read().parquet(result.path()).columns());
      assertTrue(columns.containsAll(List.of(FeatureTable.lag(5), FeatureTable.lag(10),
          FeatureTable.rollingMean(60), FeatureTable.rollingStd(60))), columns.toString());
      for (String absent : List.of(FeatureTable.lag(15), FeatureTable.lag(1440), FeatureTable.rollingMean(1440),
          FeatureTable.rollingMin(60), FeatureTable.rollingMax(60))) {
        assertFalse(columns.contains(absent), absent + " is not in the changed spec: " + columns);
      }

      // Two absent instants filled, the -1 removed then filled: 3 repaired rows, 1 removed value.
      assertEquals(3, result.quality().instantsFilled());
      assertEquals(1, result.quality().valuesRemoved());
      Dataset<Row> report = spark.read().parquet(root + "/" + QualityReportTable.PATH);
      assertEquals(2 * 3, report.count(), "2 regions x 3 UTC days");
      assertEquals(1, report.where(col(QualityReportTable.NONPOSITIVE_ROWS).gt(0)).count());
      assertTrue(Files.exists(Path.of(result.qualitySummaryPath())));

      MlflowRestClient rest = new MlflowRestClient(trackingUri);
      MlflowRestClient.RunData data = rest.getRun(run.runId());
      assertEquals(3.0, data.metrics().get("quality_rows_repaired"));
      assertEquals(0.0, data.metrics().get("quality_days_dropped"));
      assertEquals(1.0, data.metrics().get("quality_rows_impossible"));
      String json = new String(rest.downloadArtifact(run.runId(), "quality/report.json"), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"rows_repaired\" : 3"), json);
    }
  }

  private static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }
}
