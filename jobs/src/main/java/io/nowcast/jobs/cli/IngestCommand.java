package io.nowcast.jobs.cli;

import io.nowcast.ingest.caiso.CaisoOasisSource;
import io.nowcast.ingest.caiso.OasisMarket;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.nyiso.NyisoFeed;
import io.nowcast.ingest.nyiso.NyisoHttpSource;
import io.nowcast.ingest.progress.IngestProgress;
import io.nowcast.ingest.progress.ProgressPrinter;
import io.nowcast.ingest.region.RegionConfigLoader;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.ingest.weather.KlgaArchiveIngest;
import io.nowcast.ingest.weather.MeteostatSource;
import io.nowcast.ingest.weather.NoaaIsdLiteSource;
import io.nowcast.jobs.IngestJob;
import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.SynthJob;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Ingest public load and weather data into the raw tables (Parquet, UTC).",
        "  nyiso-archive  NYISO pal monthly zips in --archives DIR (--from/--to months, default all)",
        "  nyiso          NYISO pal daily CSVs over HTTP (--from/--to days; resumable)",
        "  nyiso-pal-integrated-archive / nyiso-pal-integrated",
        "                 NYISO palIntegrated (hourly load) zips in --archives DIR / daily CSVs over HTTP",
        "  nyiso-isolf-archive / nyiso-isolf",
        "                 NYISO's own load forecast (isolf) zips in --archives DIR / daily CSVs over HTTP,",
        "                 into raw/iso_forecast",
        "  caiso          CAISO OASIS SLD_FCST (--market actual|rtm; --from/--to days; resumable)",
        "  noaa           NOAA ISD-Lite hourly weather of the stations in --regions FILE (years of --from/--to)",
        "  meteostat      Meteostat bulk hourly weather of the stations in --regions FILE",
        "  klga           the LaGuardia observation archive (--archive FILE)",
        "  synthetic      the synthetic generator (same as `nowcast synth`)",
        "Progress (units done/total, rows, retries) goes to stderr; with MLFLOW_TRACKING_URI set (or",
        "--set mlflow.tracking_uri=...) the report is logged to MLflow as ingest/report.json with metrics."})
final class IngestCommand implements Callable<Integer> {
  static final List<String> SOURCES =
      List.of("nyiso-archive", "nyiso", "caiso", "noaa", "meteostat", "klga", "synthetic",
          "nyiso-pal-integrated-archive", "nyiso-pal-integrated", "nyiso-isolf-archive", "nyiso-isolf");
  /** Archive sources and the feed each reads. */
  private static final Map<String, NyisoFeed> ARCHIVE_FEEDS = Map.of("nyiso-archive", NyisoFeed.PAL,
      "nyiso-pal-integrated-archive", NyisoFeed.PAL_INTEGRATED, "nyiso-isolf-archive", NyisoFeed.ISOLF);
  /** NYISO HTTP sources and the feed each fetches. */
  private static final Map<String, NyisoFeed> HTTP_FEEDS = Map.of("nyiso", NyisoFeed.PAL,
      "nyiso-pal-integrated", NyisoFeed.PAL_INTEGRATED, "nyiso-isolf", NyisoFeed.ISOLF);
  /** At most one progress line per this interval. */
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

  @Mixin CommonOptions common;
  @Mixin ArchiveOptions archives;

  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = Sources.class)
  String ingestSource;

  @Option(names = "--base-url", description = "Base URL of the service (default: the public one; tests use loopback).")
  URI baseUrl;

  @Option(names = "--market", defaultValue = "actual", description = "CAISO market: actual (hourly) or rtm (5-minute).")
  String market;

  @Option(names = "--regions", paramLabel = "FILE",
      description = "Region config whose stations to fetch (noaa, meteostat), e.g. conf/regions/nyiso.yaml.")
  Path regions;

  @Option(names = "--archive", paramLabel = "FILE", description = "The KLGA zip (klga source).")
  String archive;

  @Option(names = "--no-tracking", description = "Do not log the ingest report to MLflow even if a tracking URI is set.")
  boolean noTracking;

  /** What one ingest did: a line for the terminal and, except for synthetic, the report. */
  private record Outcome(String summary, IngestReport report) {}

  /** The completion candidates of --source. */
  static final class Sources extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Sources() {
      super(SOURCES);
    }
  }

  @Override
  public Integer call() {
    if (!SOURCES.contains(ingestSource)) {
      throw new IllegalArgumentException("--source must be one of " + SOURCES + ", got '" + ingestSource + "'");
    }
    if (ARCHIVE_FEEDS.containsKey(ingestSource) && archives.archiveDir == null) {
      throw new IllegalArgumentException("--archives DIR is required (e.g. ../shared/data/nyiso/"
          + ARCHIVE_FEEDS.get(ingestSource).folder() + ")");
    }
    if (ingestSource.equals("klga") && archive == null) {
      throw new IllegalArgumentException("--archive FILE is required (e.g. ../shared/data/weather/klga_hourly_wu.zip)");
    }
    if ((ingestSource.equals("noaa") || ingestSource.equals("meteostat"))
        && (regions == null || !Files.isRegularFile(regions))) {
      throw new IllegalArgumentException("--regions FILE is required and must exist (e.g. conf/regions/nyiso.yaml)");
    }
    DateRange range = archives.range();
    if (!ARCHIVE_FEEDS.containsKey(ingestSource) && !List.of("klga", "synthetic").contains(ingestSource)) {
      range.closed(); // a missing --from/--to is a usage error before any Spark starts
    }
    NowcastConfig config = common.resolve();
    String trackingUri = noTracking ? null : config.trackingUri();
    SparkSession spark = SparkSessions.open("nowcast-ingest-" + ingestSource);
    // Opened before the ingest, so an unreachable tracking server fails the command at once.
    try (RunTracker run = RunTrackers.open(trackingUri, config.experiment(), "ingest-" + ingestSource,
        Map.of("nowcast.stage", "ingest"))) {
      Outcome outcome = ingest(spark, config, range);
      System.out.println(outcome.summary());
      if (outcome.report() != null) {
        IngestJob.logReport(run, outcome.report());
        if (run.isTracking()) {
          System.out.println("ingest report logged to MLflow run " + run.runId() + ": " + run.uiUrl());
        }
      }
      run.finish(true);
      return 0;
    } finally {
      spark.stop();
    }
  }

  private Outcome ingest(SparkSession spark, NowcastConfig config, DateRange range) {
    String root = config.dataRoot();
    HttpSettings http = HttpSettings.defaults();
    IngestProgress progress = new ProgressPrinter(System.err, ingestSource, PROGRESS_INTERVAL);
    if (ARCHIVE_FEEDS.containsKey(ingestSource)) {
      NyisoFeed feed = ARCHIVE_FEEDS.get(ingestSource);
      IngestJob.Result result = IngestJob.nyisoArchives(spark, config, feed, archives.archiveDir,
          range.firstMonth(), range.lastMonth(), progress);
      return new Outcome(result.summary(), result.report());
    }
    if (HTTP_FEEDS.containsKey(ingestSource)) {
      DateRange days = range.closed();
      HttpIngestOutcome outcome = NyisoHttpSource.ingest(spark, HTTP_FEEDS.get(ingestSource), days.first(),
          days.last(), root, http, baseUrl != null ? baseUrl : NyisoHttpSource.DEFAULT_BASE_URL, progress);
      return new Outcome(outcome.summary(), outcome.report());
    }
    switch (ingestSource) {
      case "caiso": {
        DateRange days = range.closed();
        OasisMarket oasisMarket = parseMarket();
        HttpIngestOutcome outcome = CaisoOasisSource.ingest(spark, oasisMarket, days.first(), days.last(),
            root, CaisoOasisSource.defaultSettings(),
            baseUrl != null ? baseUrl : CaisoOasisSource.DEFAULT_BASE_URL);
        return new Outcome(outcome.summary(), outcome.report());
      }
      case "noaa": {
        DateRange days = range.closed();
        RegionMap map = RegionConfigLoader.load(regions);
        return totals(NoaaIsdLiteSource.ingest(spark, map.isdStations(), days.first().getYear(),
            days.last().getYear(), root, http, baseUrl != null ? baseUrl : NoaaIsdLiteSource.DEFAULT_BASE));
      }
      case "meteostat": {
        DateRange days = range.closed();
        RegionMap map = RegionConfigLoader.load(regions);
        return totals(MeteostatSource.ingest(spark, map.meteostatStations(), days.first().getYear(),
            days.last().getYear(), root, http, baseUrl != null ? baseUrl : MeteostatSource.DEFAULT_BASE));
      }
      case "klga":
        return totals(KlgaArchiveIngest.run(spark, archive, root));
      case "synthetic": {
        SynthJob.Result synth = SynthJob.run(spark, config.withSource("synthetic"));
        return new Outcome(
            "synthetic: " + synth.loadRows() + " load rows, " + synth.weatherRows() + " weather rows", null);
      }
      default:
        throw new IllegalStateException("unhandled source " + ingestSource);
    }
  }

  private OasisMarket parseMarket() {
    try {
      return OasisMarket.valueOf(market.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--market must be actual or rtm, got '" + market + "'");
    }
  }

  private static Outcome totals(IngestReport report) {
    var t = report.totals();
    return new Outcome(String.format(Locale.ROOT,
        "%s: %d file(s) in %.1f s: %d rows parsed, %d quarantined, %d duplicates collapsed, %d rows written",
        report.source(), report.files().size(), report.elapsed().toMillis() / 1000.0, t.rowsParsed(),
        t.quarantined(), t.duplicatesCollapsed(), t.rowsWritten()), report);
  }
}
