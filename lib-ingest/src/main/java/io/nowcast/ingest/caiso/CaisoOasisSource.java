package io.nowcast.ingest.caiso;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.http.FetchFailedException;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.ExistingRangeMerge;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.ingest.source.LandingStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests CAISO load from OASIS's {@code SingleZip} API ({@code queryname=SLD_FCST}): hourly actual demand
 * ({@link OasisMarket#ACTUAL}) or 5-minute real-time load ({@link OasisMarket#RTM}), by TAC area, into the
 * raw load table (region = TAC area, source {@code caiso-oasis-actual} / {@code caiso-oasis-rtm}).
 *
 * <p>Flow: the UTC days {@code from..to} not yet landed are grouped into requests of at most 31 days, cut at
 * month starts ({@link OasisRequest#covering}); each answer is fetched ({@link HttpFetcher}; OASIS allows
 * about one request per 5 s, which {@link #defaultSettings()} paces), checked whole ({@link OasisAnswer}: an
 * OASIS error document, truncated zip or HTML page fails the run naming the request, before anything is
 * kept) and landed atomically under {@code <dataRoot>/landing/<source>/yyyyMMdd-yyyyMMdd.zip}. Then the
 * landed answers of the span are parsed on the driver and written, replacing exactly {@code [from, to+1)}
 * ({@link ExistingRangeMerge}). A failure leaves the raw table untouched and the answers landed so far for
 * the next run, which fetches only what is missing. A window that ends in the future is landed but counted
 * incomplete: the next run deletes it and asks again.
 *
 * <p>Rows are assembled on the driver: a month of 5-minute data for a dozen TAC areas is about 100,000 rows,
 * fine for the spans OASIS serves; years at once would want the landed zips parsed on executors instead.
 */
public final class CaisoOasisSource {
  private static final Logger LOG = LoggerFactory.getLogger(CaisoOasisSource.class);

  /** OASIS's public root. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://oasis.caiso.com");
  /** OASIS rate-limits to about one request per 5 seconds. */
  public static final Duration OASIS_MIN_INTERVAL = Duration.ofSeconds(5);

  private final HttpFetcher fetcher;
  private final URI baseUrl;
  private final Clock clock;

  CaisoOasisSource(HttpFetcher fetcher, URI baseUrl, Clock clock) {
    this.fetcher = fetcher;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  /** {@link HttpSettings#defaults()} paced to {@link #OASIS_MIN_INTERVAL}. */
  public static HttpSettings defaultSettings() {
    HttpSettings d = HttpSettings.defaults();
    return new HttpSettings(d.connectTimeout(), d.requestTimeout(), d.maxAttempts(), d.baseBackoff(),
        d.maxBackoff(), OASIS_MIN_INTERVAL, d.userAgent());
  }

  /**
   * Fetches, lands and ingests the UTC days {@code from}..{@code to} (inclusive) of one market run.
   *
   * @param spark a session with time zone UTC
   * @param settings timeouts, retries and pacing (see {@link #defaultSettings()})
   * @param baseUrl OASIS's root, e.g. {@link #DEFAULT_BASE_URL}
   * @throws FetchFailedException if a request fails after its retries (the raw table is untouched)
   * @throws OasisErrorException if OASIS refuses a request (named; nothing written)
   * @throws OasisFormatException if an answer is damaged or not OASIS's (named; nothing written)
   */
  public static HttpIngestOutcome ingest(
      SparkSession spark, OasisMarket market, LocalDate from, LocalDate to, String dataRoot,
      HttpSettings settings, URI baseUrl) {
    return new CaisoOasisSource(new HttpFetcher(settings), baseUrl, Clock.systemUTC())
        .run(spark, market, from, to, dataRoot);
  }

  HttpIngestOutcome run(SparkSession spark, OasisMarket market, LocalDate from, LocalDate to, String dataRoot) {
    requireUtcSession(spark);
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    long started = System.nanoTime();
    LandingStore landing = new LandingStore(dataRoot, market.source(), spark.sparkContext().hadoopConfiguration());
    List<OasisRequest> landed = completeLanded(market, landing);
    Set<LocalDate> covered = new TreeSet<>();
    landed.forEach(r -> covered.addAll(r.days()));
    List<LocalDate> wanted = from.datesUntil(to.plusDays(1)).toList();
    List<LocalDate> missing = wanted.stream().filter(d -> !covered.contains(d)).toList();
    List<OasisRequest> requests = OasisRequest.covering(market, missing);
    List<String> notPublished = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      OasisRequest request = requests.get(i);
      URI uri = request.uri(baseUrl);
      Optional<byte[]> body = fetcher.get(uri);
      if (body.isEmpty()) {
        notPublished.add(uri.toString());
      } else {
        // Parsed here only to refuse an error document or damaged zip before it is landed.
        OasisParseResult parsed = OasisAnswer.parse(uri.toString(), body.get());
        landing.writeAtomically(request.landedName(), body.get());
        landed.add(request);
        LOG.info("{} request {}/{} {}..{}: {} rows (retries so far {})", market.source(), i + 1,
            requests.size(), request.start(), request.end().minusDays(1), parsed.rows().size(),
            fetcher.retries());
      }
    }
    Instant runFrom = from.atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant runTo = to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant ingestedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    OasisLoadRows rows = new OasisLoadRows(market, runFrom, runTo, ingestedAt);
    long filesRead = 0;
    for (OasisRequest r : landed.stream().sorted((a, b) -> a.start().compareTo(b.start())).toList()) {
      if (r.end().isAfter(from) && !r.start().isAfter(to)) {
        String path = landing.path(r.landedName());
        rows.add(path, r, OasisAnswer.parse(path, landing.read(r.landedName())));
        filesRead++;
      }
    }
    long existingKept = 0;
    if (!rows.rows.isEmpty()) {
      existingKept = ExistingRangeMerge.write(spark, spark.createDataFrame(rows.rows, RawLoadTable.SCHEMA),
          market.source(), rows.months, runFrom, runTo, dataRoot);
    }
    IngestReport report = new IngestReport(market.source(), ingestedAt, filesRead, rows.reports, existingKept,
        Duration.ofNanos(System.nanoTime() - started));
    HttpIngestOutcome outcome = new HttpIngestOutcome(report.withRetries(fetcher.retries()), requests.size(),
        requests.size() - notPublished.size(), wanted.size() - missing.size(), notPublished, fetcher.retries());
    LOG.info(outcome.summary());
    return outcome;
  }

  /**
   * Landed answers whose window had ended when they were landed; the others (OASIS was still adding to
   * them) are deleted so that their days are asked again and no two landed answers overlap.
   */
  private List<OasisRequest> completeLanded(OasisMarket market, LandingStore landing) {
    List<OasisRequest> complete = new ArrayList<>();
    for (String name : landing.list("")) {
      Optional<OasisRequest> r = OasisRequest.ofLandedName(market, name);
      if (r.isEmpty()) {
        continue;
      }
      Instant windowEnd = r.get().end().atStartOfDay().toInstant(ZoneOffset.UTC);
      long landedAt = landing.landedAt(name).orElse(0L);
      if (Instant.ofEpochMilli(landedAt).isBefore(windowEnd)) {
        LOG.info("{}: {} was landed before its window ended; fetching it again", market.source(), name);
        landing.delete(name);
      } else {
        complete.add(r.get());
      }
    }
    return complete;
  }

  private static void requireUtcSession(SparkSession spark) {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    if (!ZoneId.of(zone).normalized().equals(ZoneOffset.UTC)) {
      throw new IllegalStateException(
          "spark.sql.session.timeZone is '" + zone + "'; the nowcast jobs require UTC (DESIGN §4)");
    }
  }
}
