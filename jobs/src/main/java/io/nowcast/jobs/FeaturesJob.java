package io.nowcast.jobs;

import io.nowcast.features.FeatureTableWriter;
import io.nowcast.models.series.SystemTotal;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.quality.DataQualityStage;
import io.nowcast.ingest.quality.QualityReportWriter;
import io.nowcast.ingest.quality.QualityResult;
import io.nowcast.ingest.quality.QualitySummary;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.tracking.RunTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the features table of the configured source from the raw tables: raw load → data-quality stage
 * ({@code quality.*}; report under {@code <root>/quality}) → features of the configured spec.
 */
public final class FeaturesJob {
  /** The MLflow artifact directory of the quality summary ({@code quality/report.json}). */
  public static final String QUALITY_ARTIFACT_DIR = "quality";

  private FeaturesJob() {}

  /**
   * Where the features went and the fingerprint of the raw load they came from (before the quality
   * stage); the quality summary and the JSON file's path, or null when the stage is off.
   */
  public record Result(String path, String dataFingerprint, boolean withWeather, QualitySummary quality,
      String qualitySummaryPath) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    DataPaths paths = new DataPaths(config.dataRoot());
    if (!DataPaths.exists(spark, paths.rawLoad())) {
      throw new IllegalArgumentException("no raw load at " + paths.rawLoad()
          + ": run `nowcast synth` or `nowcast ingest` first");
    }
    Dataset<Row> rawLoad = spark.read().parquet(paths.rawLoad())
        .where(col(RawLoadTable.SOURCE).equalTo(config.source()));
    String fingerprint = DataFingerprint.of(rawLoad);
    if (fingerprint.equals(DataFingerprint.EMPTY)) {
      throw new IllegalArgumentException("raw load at " + paths.rawLoad() + " has no rows of source '"
          + config.source() + "'");
    }
    Optional<Dataset<Row>> weather = Optional.empty();
    if (DataPaths.exists(spark, paths.rawWeather())) {
      Dataset<Row> observations = spark.read().parquet(paths.rawWeather())
          .where(col(RawWeatherTable.SOURCE).equalTo(weatherSource(config.source())));
      // isEmpty() reads at most one row: features without weather are allowed but must be said so.
      if (!observations.isEmpty()) {
        weather = Optional.of(observations);
      }
    }
    RegionMap regions = regions(config);
    QualityResult quality = null;
    try {
      Dataset<Row> load = rawLoad;
      String summaryPath = null;
      if (config.quality().enabled()) {
        Map<String, java.time.ZoneId> zones = regions.zones();
        // Throws DataQualityException (exit code 2 in the CLI) when a check with policy fail fails.
        quality = new DataQualityStage(config.quality(), zones).run(rawLoad);
        summaryPath = QualityReportWriter.write(spark, quality, config.dataRoot(), config.source()).json();
        load = quality.cleaned();
      }
      if (config.source().equals("nyiso-pal")) {
        // The system total is a forecast series of its own (the headline series), summed from
        // the cleaned zones where all 11 are present.
        load = SystemTotal.withNyisoTotal(load);
      }
      Dataset<Row> features = new FeatureBuilder(config.features(), regions).build(load, weather);
      String out = paths.features(config.source());
      // Month-grouped output written without a shuffle of the wide rows (see FeatureTableWriter).
      FeatureTableWriter.write(features, out);
      return new Result(out, fingerprint, weather.isPresent(), quality == null ? null : quality.summary(),
          summaryPath);
    } finally {
      if (quality != null) {
        quality.close();
      }
    }
  }

  /**
   * Logs the quality summary to the pipeline's run, when it tracks: metrics {@code quality_*} and the
   * artifact {@code quality/report.json}.
   */
  public static void logQuality(RunTracker run, Result result, String source) {
    if (result.quality() == null || !run.isTracking()) {
      return;
    }
    run.logMetrics(result.quality().metrics());
    try {
      Path dir = Files.createTempDirectory("nowcast-quality-");
      Path json = Files.writeString(dir.resolve("report.json"), result.quality().toJson(source),
          StandardCharsets.UTF_8);
      run.logArtifact(json, QUALITY_ARTIFACT_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the quality summary for MLflow: " + e.getMessage(), e);
    }
  }

  /** The regions of the configured source. */
  public static RegionMap regions(NowcastConfig config) {
    return config.source().equals("synthetic")
        ? RegionMap.synthetic(config.synthetic().regions())
        : RegionMap.nyiso();
  }

  private static String weatherSource(String loadSource) {
    return loadSource.equals("synthetic") ? "synthetic" : "klga-wu";
  }
}
