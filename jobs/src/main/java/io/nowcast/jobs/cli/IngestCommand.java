package io.nowcast.jobs.cli;

import io.nowcast.ingest.caiso.CaisoOasisSource;
import io.nowcast.ingest.caiso.OasisMarket;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.nyiso.NyisoHttpSource;
import io.nowcast.ingest.region.RegionConfigLoader;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.weather.KlgaArchiveIngest;
import io.nowcast.ingest.weather.MeteostatSource;
import io.nowcast.ingest.weather.NoaaIsdLiteSource;
import io.nowcast.jobs.IngestJob;
import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.SynthJob;
import io.nowcast.jobs.config.NowcastConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Ingest public load and weather data into the raw tables (Parquet, UTC).",
        "  nyiso-archive  NYISO pal monthly zips in --archives DIR (--from/--to months, default all)",
        "  nyiso          NYISO pal daily CSVs over HTTP (--from/--to days; resumable)",
        "  caiso          CAISO OASIS SLD_FCST (--market actual|rtm; --from/--to days; resumable)",
        "  noaa           NOAA ISD-Lite hourly weather of the stations in --regions FILE (years of --from/--to)",
        "  meteostat      Meteostat bulk hourly weather of the stations in --regions FILE",
        "  klga           the LaGuardia observation archive (--archive FILE)",
        "  synthetic      the synthetic generator (same as `nowcast synth`)"})
final class IngestCommand implements Callable<Integer> {
  static final List<String> SOURCES =
      List.of("nyiso-archive", "nyiso", "caiso", "noaa", "meteostat", "klga", "synthetic");

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
    if (ingestSource.equals("nyiso-archive") && archives.archiveDir == null) {
      throw new IllegalArgumentException("--archives DIR is required (e.g. ../shared/data/nyiso/pal)");
    }
    if (ingestSource.equals("klga") && archive == null) {
      throw new IllegalArgumentException("--archive FILE is required (e.g. ../shared/data/weather/klga_hourly_wu.zip)");
    }
    if ((ingestSource.equals("noaa") || ingestSource.equals("meteostat"))
        && (regions == null || !Files.isRegularFile(regions))) {
      throw new IllegalArgumentException("--regions FILE is required and must exist (e.g. conf/regions/nyiso.yaml)");
    }
    DateRange range = archives.range();
    NowcastConfig config = common.resolve();
    SparkSession spark = SparkSessions.open("nowcast-ingest-" + ingestSource);
    try {
      System.out.println(ingest(spark, config, range));
      return 0;
    } finally {
      spark.stop();
    }
  }

  private String ingest(SparkSession spark, NowcastConfig config, DateRange range) {
    String root = config.dataRoot();
    HttpSettings http = HttpSettings.defaults();
    switch (ingestSource) {
      case "nyiso-archive":
        return IngestJob.nyisoArchives(spark, config.withSource("nyiso-pal"), archives.archiveDir,
            range.firstMonth(), range.lastMonth()).summary();
      case "nyiso": {
        DateRange days = range.closed();
        return NyisoHttpSource.ingest(spark, days.first(), days.last(), root, http,
            baseUrl != null ? baseUrl : NyisoHttpSource.DEFAULT_BASE_URL).summary();
      }
      case "caiso": {
        DateRange days = range.closed();
        OasisMarket oasisMarket = parseMarket();
        return CaisoOasisSource.ingest(spark, oasisMarket, days.first(), days.last(), root,
            CaisoOasisSource.defaultSettings(),
            baseUrl != null ? baseUrl : CaisoOasisSource.DEFAULT_BASE_URL).summary();
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
        return "synthetic: " + synth.loadRows() + " load rows, " + synth.weatherRows() + " weather rows";
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

  private static String totals(IngestReport report) {
    var t = report.totals();
    return String.format(Locale.ROOT,
        "%s: %d file(s) in %.1f s: %d rows parsed, %d quarantined, %d duplicates collapsed, %d rows written",
        report.source(), report.files().size(), report.elapsed().toMillis() / 1000.0, t.rowsParsed(),
        t.quarantined(), t.duplicatesCollapsed(), t.rowsWritten());
  }
}
