package io.nowcast.jobs;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.FeatureTableWriter;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.store.TablePaths;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.Backtest;
import io.nowcast.models.series.SystemTotal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The accuracy protocol of the models issue, end to end from the raw tables: for NYISO the system
 * total is added as a series ({@link SystemTotal}), features are built for the reported series
 * ({@code backtest.series}; weather observed up to issue time only, no target-time actuals), the
 * rolling-origin backtest runs over the configured test period, and the table goes to a Markdown file.
 */
public final class ResultsJob {
  private ResultsJob() {}

  /** The backtest, where its features went, and the seconds of each stage. */
  public record Result(Backtest.Result backtest, String featuresPath, Map<String, Double> stageSeconds,
      Path markdown) {}

  /**
   * @param reuseFeatures use the features a previous run wrote (when present) instead of rebuilding them
   */
  public static Result run(SparkSession spark, NowcastConfig config, Path markdown, String command,
      boolean reuseFeatures) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    String existing = featuresPath(config);
    String featuresPath;
    if (reuseFeatures && DataPaths.exists(spark, existing + "/_SUCCESS")) {
      featuresPath = existing;
      seconds.put("features (reused from a previous run)", 0.0);
    } else {
      featuresPath = buildFeatures(spark, config);
      seconds.put("features", elapsed(t));
    }
    t = System.nanoTime();
    Dataset<Row> features = spark.read().parquet(featuresPath);
    Backtest.Result backtest = BacktestJob.run(spark, config, features);
    seconds.put("backtest (train + score, all folds)", elapsed(t));
    try {
      Files.createDirectories(markdown.toAbsolutePath().getParent());
      Files.writeString(markdown, ResultsMarkdown.render(config, backtest, seconds, command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + markdown + ": " + e.getMessage(), e);
    }
    return new Result(backtest, featuresPath, seconds, markdown);
  }

  /** Features of the reported series (with the NYISO total for NYISO data), written under features/results. */
  static String buildFeatures(SparkSession spark, NowcastConfig config) {
    DataPaths paths = new DataPaths(config.dataRoot());
    if (!DataPaths.exists(spark, paths.rawLoad())) {
      throw new IllegalArgumentException("no raw load at " + paths.rawLoad() + ": run `nowcast ingest` first");
    }
    Dataset<Row> raw = spark.read().parquet(paths.rawLoad())
        .where(col(RawLoadTable.SOURCE).equalTo(config.source()));
    RegionMap regions = FeaturesJob.regions(config);
    if (config.source().equals("nyiso-pal")) {
      raw = SystemTotal.withNyisoTotal(raw);
      regions = SystemTotal.nyisoRegions();
    }
    if (!config.backtest().series().isEmpty() && !config.source().equals("synthetic")) {
      raw = raw.where(col(RawLoadTable.REGION).isin(config.backtest().series().toArray()));
    }
    Optional<Dataset<Row>> weather = Optional.empty();
    if (DataPaths.exists(spark, paths.rawWeather())) {
      Dataset<Row> observations = spark.read().parquet(paths.rawWeather())
          .where(col(RawWeatherTable.SOURCE).equalTo(config.source().equals("synthetic") ? "synthetic" : "klga-wu"));
      if (!observations.isEmpty()) {
        weather = Optional.of(observations);
      }
    }
    String out = featuresPath(config);
    FeatureTableWriter.write(new FeatureBuilder(config.features(), regions).build(raw, weather), out);
    return out;
  }

  /** Where the results features go: {@code features/results/source=<source>} under the data root. */
  static String featuresPath(NowcastConfig config) {
    return TablePaths.resolve(config.dataRoot(), FeatureTable.PATH + "/results/source=" + config.source());
  }

  private static double elapsed(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }
}
