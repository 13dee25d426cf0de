package io.nowcast.jobs.bench;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.features.FeatureTableWriter;
import io.nowcast.features.SeriesChunks;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.grid.RegularGridStage;
import io.nowcast.features.load.RollingExtremaStage;
import io.nowcast.features.load.RollingStatsStage;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.ingest.store.TablePaths;
import io.nowcast.jobs.DataPaths;
import io.nowcast.jobs.SynthJob;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.ingest.quality.DataQualityStage;
import io.nowcast.ingest.quality.QualityResult;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nowcast bench features}: times the feature path end to end (raw Parquet read → features
 * built → feature Parquet written, the same builder and writer as {@code nowcast features}) and the
 * window-length ratio (the rolling stages alone with a 7-day against a 1-hour window on the same
 * grid), and reports peak memory. Either on an existing raw root or on synthetic load it generates
 * first. A benchmark, not a test: it prints numbers, it asserts nothing about them.
 */
public final class FeatureBench {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureBench.class);
  /** Window lengths of the ratio: 1 hour and 7 days. */
  static final int SHORT_WINDOW_MINUTES = 60;
  static final int LONG_WINDOW_MINUTES = 10_080;
  /** Each rolling-stage timing is the best of this many runs (the box may be shared). */
  static final int RATIO_REPEATS = 2;
  /** Synthetic data: at most this many days per region (five years), then more regions. */
  static final int MAX_SYNTHETIC_DAYS = 1826;

  private FeatureBench() {}

  /**
   * What to benchmark: {@code rawRoot} (an existing data root with raw tables) or, when {@code
   * syntheticRows > 0}, synthetic load of about that many rows generated under {@code outRoot};
   * {@code source} the raw load's source (null: the only one present).
   */
  public record Options(String rawRoot, long syntheticRows, String outRoot, String source, boolean windowRatio,
      boolean quality, boolean writeFloor) {
    /** The default bench: features and the window ratio, no quality stage, no write floor. */
    public Options(String rawRoot, long syntheticRows, String outRoot, String source) {
      this(rawRoot, syntheticRows, outRoot, source, true, false, false);
    }

    public Options {
      if ((rawRoot == null) == (syntheticRows <= 0)) {
        throw new IllegalArgumentException("give exactly one of --raw ROOT and --synthetic-rows N (N > 0)");
      }
      if (outRoot == null || outRoot.isBlank()) {
        throw new IllegalArgumentException("--out must name a folder for the benchmark's output");
      }
    }
  }

  /** The synthetic spec of about {@code rows} 5-minute rows: regions × days × 288. */
  static SyntheticSpec syntheticSpec(long rows) {
    long regionDays = Math.max(1, Math.round(rows / 288.0));
    int regions = (int) Math.max(1, (regionDays + MAX_SYNTHETIC_DAYS - 1) / MAX_SYNTHETIC_DAYS);
    int days = (int) Math.max(1, Math.round(regionDays / (double) regions));
    return new SyntheticSpec(regions, SyntheticSpec.START_DEFAULT, days, SyntheticSpec.SEED_DEFAULT);
  }

  public static BenchReport run(SparkSession spark, NowcastConfig config, Options options) {
    String rawRoot = options.rawRoot();
    String source = options.source();
    NowcastConfig effective = config;
    if (options.syntheticRows() > 0) {
      rawRoot = TablePaths.resolve(options.outRoot(), "raw-synthetic");
      source = "synthetic";
      effective =
          new NowcastConfig(config.env(), rawRoot, source, syntheticSpec(options.syntheticRows()),
              config.features(), config.xgboost(), config.evaluation(), config.trackingUri(),
              config.experiment());
      long start = System.nanoTime();
      SynthJob.run(spark, effective);
      LOG.info("synthetic raw data generated in {} s", seconds(start));
    }
    DataPaths raw = new DataPaths(rawRoot);
    if (!DataPaths.exists(spark, raw.rawLoad())) {
      throw new IllegalArgumentException("no raw load at " + raw.rawLoad());
    }
    Dataset<Row> allLoad = spark.read().parquet(raw.rawLoad());
    source = source != null ? source : onlySource(allLoad, raw.rawLoad());
    Dataset<Row> rawLoad = allLoad.where(col(RawLoadTable.SOURCE).equalTo(source));
    long rows = rawLoad.count();
    long regionCount = rawLoad.select(RawLoadTable.REGION).distinct().count();
    if (rows == 0) {
      throw new IllegalArgumentException("raw load at " + raw.rawLoad() + " has no rows of source '" + source + "'");
    }
    RegionMap regions = source.equals("synthetic") ? RegionMap.synthetic((int) regionCount) : RegionMap.nyiso();
    Optional<Dataset<Row>> weather = Optional.empty();
    if (DataPaths.exists(spark, raw.rawWeather())) {
      Dataset<Row> observations = spark.read().parquet(raw.rawWeather())
          .where(col(RawWeatherTable.SOURCE).equalTo(source.equals("synthetic") ? "synthetic" : "klga-wu"));
      if (!observations.isEmpty()) {
        weather = Optional.of(observations);
      }
    }
    FeatureSpec spec = effective.features();

    String featuresPath = TablePaths.resolve(options.outRoot(), "features");
    long start = System.nanoTime();
    long cpuStart = ProcessMemory.processCpuNanos();
    Dataset<Row> features = new FeatureBuilder(spec, regions).build(rawLoad, weather);
    PlanShape plan = PlanShape.of(features);
    FeatureTableWriter.write(features, featuresPath);
    double wall = seconds(start);
    double cpu = (ProcessMemory.processCpuNanos() - cpuStart) / 1e9;
    LOG.info("feature plan: {}", plan);
    long featureRows = spark.read().parquet(featuresPath).count();
    int featureColumns = spark.read().parquet(featuresPath).columns().length;
    LOG.info("features: {} raw rows -> {} feature rows in {} s", rows, featureRows, wall);

    // The window ratio re-runs the rolling stages four times over the whole grid: on the 50M-row
    // run that would cost more than the features themselves, and the ratio does not depend on size.
    WindowRatio ratio = options.windowRatio()
        ? windowRatio(spark, rawLoad, spec.stepMinutes(), SeriesChunks.lookbackMinutes(spec), options.outRoot())
        : new WindowRatio(Double.NaN, Double.NaN, Double.NaN);
    double qualitySeconds = options.quality() ? qualitySeconds(effective, regions, rawLoad) : Double.NaN;
    WriteFloor floor = options.writeFloor()
        ? writeFloor(spark, featuresPath, options.outRoot())
        : new WriteFloor(Double.NaN, Double.NaN);
    return new BenchReport(
        raw.rawLoad(), source, rows, regionCount, weather.isPresent(), featuresPath, featureRows,
        featureColumns, wall, cpu, rows / wall, ratio.shortSeconds(), ratio.longSeconds(),
        ratio.shortSameHaloSeconds(), qualitySeconds, floor.readSortSeconds(), floor.rewriteSeconds(),
        ProcessMemory.peakRssBytes(), ProcessMemory.heapPeakBytes(), ProcessMemory.heapMaxBytes(),
        spark.sparkContext().defaultParallelism(), plan);
  }

  /**
   * Seconds of the data-quality stage that {@code nowcast features} runs before the features (the
   * checks, the report, the repaired rows materialised), timed on its own on the same raw load.
   */
  static double qualitySeconds(NowcastConfig config, RegionMap regions, Dataset<Row> rawLoad) {
    Map<String, ZoneId> zones = regions.zones();
    long start = System.nanoTime();
    try (QualityResult quality = new DataQualityStage(config.quality(), zones).run(rawLoad)) {
      long cleaned = quality.cleaned().count();
      double elapsed = seconds(start);
      LOG.info("quality stage: {} cleaned rows in {} s", cleaned, elapsed);
      return elapsed;
    }
  }

  /**
   * What writing the feature table costs on its own, with no feature computed: the finished table
   * read and sorted as the writer wants it (to the no-op sink), and the same read, sort and write
   * through {@link FeatureTableWriter}. Their difference estimates the write alone (in the feature job
   * the rows arrive sorted, so it pays no such sort), a floor under any way of computing the table.
   */
  record WriteFloor(double readSortSeconds, double rewriteSeconds) {}

  static WriteFloor writeFloor(SparkSession spark, String featuresPath, String outRoot) {
    String copyPath = TablePaths.resolve(outRoot, "write-floor");
    long start = System.nanoTime();
    FeatureTableWriter.inFileOrder(spark.read().parquet(featuresPath))
        .write().format("noop").mode(SaveMode.Overwrite).save();
    double readSort = seconds(start);
    start = System.nanoTime();
    FeatureTableWriter.write(spark.read().parquet(featuresPath), copyPath);
    double rewrite = seconds(start);
    LOG.info("write floor: read+sort {} s, read+sort+write {} s", readSort, rewrite);
    return new WriteFloor(readSort, rewrite);
  }

  /**
   * Seconds of the rolling stages with a 1-hour window on its own 1-hour halo, a 7-day window, and the
   * 1-hour window again on the 7-day run's halo (best of a few runs each). The 7-day run's halo is the
   * longer of 7 days and the builder's look-back (both 7 days for the default spec), so it serves both
   * ratios.
   */
  record WindowRatio(double shortSeconds, double longSeconds, double shortSameHaloSeconds) {}

  /**
   * Times the rolling stages (mean/std and min/max) alone, with one window of 1 hour and then of 7
   * days, on the same grid materialised once (so grid building and the raw read are outside both),
   * cut into monthly chunks as the builder does, the result written to Spark's no-op sink (every
   * column is computed, nothing is stored). Two halos for the 1-hour window: its own (1 hour: the
   * 7-day run then also pays for copying 7 days of halo rows per month, ~23 % more rows), and the
   * builder's ({@code builderLookbackMinutes}, the longest lag or window of the spec, which every
   * feature build pays whatever its windows): the second ratio is the cost of the window length alone.
   */
  static WindowRatio windowRatio(
      SparkSession spark, Dataset<Row> rawLoad, int step, int builderLookbackMinutes, String outRoot) {
    String gridPath = TablePaths.resolve(outRoot, "bench-grid");
    Dataset<Row> series = rawLoad.select(
        col(RawLoadTable.REGION).as(SeriesColumns.REGION),
        col(RawLoadTable.TS).as(SeriesColumns.TS),
        col(RawLoadTable.LOAD_MW).as(SeriesColumns.LOAD));
    new RegularGridStage().setStepMinutes(step).transform(series)
        .write().mode(SaveMode.Overwrite).parquet(gridPath);
    int sharedHalo = Math.max(builderLookbackMinutes, LONG_WINDOW_MINUTES);
    double shortBest = Double.MAX_VALUE;
    double longBest = Double.MAX_VALUE;
    double shortSameHaloBest = Double.MAX_VALUE;
    for (int i = 0; i < RATIO_REPEATS; i++) {
      shortBest = Math.min(shortBest,
          rollingSeconds(spark, gridPath, step, SHORT_WINDOW_MINUTES, SHORT_WINDOW_MINUTES));
      longBest = Math.min(longBest, rollingSeconds(spark, gridPath, step, LONG_WINDOW_MINUTES, sharedHalo));
      shortSameHaloBest =
          Math.min(shortSameHaloBest, rollingSeconds(spark, gridPath, step, SHORT_WINDOW_MINUTES, sharedHalo));
    }
    return new WindowRatio(shortBest, longBest, shortSameHaloBest);
  }

  private static double rollingSeconds(SparkSession spark, String gridPath, int step, int window, int halo) {
    long start = System.nanoTime();
    // Cut into monthly chunks as FeatureBuilder would for a spec whose longest look-back is `halo`.
    Dataset<Row> grid = SeriesChunks.cut(spark.read().parquet(gridPath), halo, step);
    Dataset<Row> stats =
        new RollingStatsStage().setStepMinutes(step).setWindowsMinutes(new int[] {window}).transform(grid);
    Dataset<Row> extrema =
        new RollingExtremaStage().setStepMinutes(step).setWindowsMinutes(new int[] {window}).transform(stats);
    SeriesChunks.keepOwn(extrema).write().format("noop").mode(SaveMode.Overwrite).save();
    double elapsed = seconds(start);
    LOG.info("rolling stages, {}-minute window, {}-minute halo: {} s", window, halo, elapsed);
    return elapsed;
  }

  private static String onlySource(Dataset<Row> load, String path) {
    // A handful of distinct values of a partition column: small by construction.
    List<Row> sources = load.select(RawLoadTable.SOURCE).distinct().limit(3).collectAsList();
    if (sources.size() != 1) {
      throw new IllegalArgumentException("raw load at " + path + " holds " + sources.size()
          + " sources; name one with --source");
    }
    return sources.get(0).getString(0);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
