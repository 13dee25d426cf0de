package io.nowcast.ingest.nyiso;

import io.nowcast.ingest.http.FetchFailedException;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.progress.IngestProgress;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.ingest.source.LandingStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a NYISO feed from NYISO's public CSV service: one daily file {@code <base>/<feed>/YYYYMMDD<feed>.csv}
 * per New York day, written exactly as the archive ingest writes it: {@code pal} and {@code palIntegrated} to
 * the raw load table ({@link NyisoPalArchiveIngest}), {@code isolf} to the ISO forecast table ({@link
 * NyisoIsolfIngest}); those classes are fed the landed files.
 *
 * <p>Flow: each day's CSV is fetched ({@link HttpFetcher}: timeouts, retries, pacing), checked with
 * {@link NyisoPalCsvParser} (an HTML error page or empty body fails here, naming the URL, before anything is
 * kept) and landed atomically under {@code <dataRoot>/landing/nyiso-pal/YYYYMM/YYYYMMDDpal.csv}. Only after
 * every day of the range is landed does Spark ingest the landed files of the range, so a fetch that fails
 * after its retries leaves the raw table untouched; the days landed so far are kept and not fetched again.
 *
 * <p>Resumable: a day whose landed file is complete is not fetched again, so a second run over a longer
 * range fetches only the new days, and its table equals one run over the whole range (the landed files of
 * the whole range are ingested; the archive ingest's month-safe merge keeps other days). A file is complete
 * when it was landed after its New York day ended; today's file, which NYISO extends through the day, is
 * fetched again on every run until then. A day the service does not publish (404) is reported by name.
 */
public final class NyisoHttpSource {
  private static final Logger LOG = LoggerFactory.getLogger(NyisoHttpSource.class);

  /** NYISO's public CSV service. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://mis.nyiso.com/public/csv");
  /** The landing folder's name under {@code <dataRoot>/landing} for {@code pal} (others: their source). */
  public static final String LANDING = NyisoPalArchiveIngest.SOURCE;

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM", Locale.ROOT);
  private static final ZoneId NEW_YORK = ZoneId.of(NyisoPalArchiveIngest.LOCAL_ZONE);

  private final NyisoFeed feed;
  private final HttpFetcher fetcher;
  private final URI baseUrl;
  private final Clock clock;
  private IngestProgress progress = IngestProgress.NONE;

  NyisoHttpSource(HttpFetcher fetcher, URI baseUrl, Clock clock) {
    this(NyisoFeed.PAL, fetcher, baseUrl, clock);
  }

  NyisoHttpSource(NyisoFeed feed, HttpFetcher fetcher, URI baseUrl, Clock clock) {
    this.feed = feed;
    this.fetcher = fetcher;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  /** Where to report days done, rows and retries (default: nowhere). */
  NyisoHttpSource withProgress(IngestProgress listener) {
    this.progress = listener;
    return this;
  }

  /**
   * Fetches, lands and ingests the New York days {@code from}..{@code to} (inclusive).
   *
   * @param spark a session with time zone UTC
   * @param dataRoot the data root ({@code file:}, {@code s3a://} or a local path)
   * @param settings timeouts, retries and pacing
   * @param baseUrl the service root, e.g. {@link #DEFAULT_BASE_URL}
   * @return what was fetched and written
   * @throws FetchFailedException if a day cannot be fetched after the retries (the raw table is untouched)
   * @throws NyisoPalFormatException if a day's body is not a {@code pal} CSV (named by URL; not landed)
   */
  public static HttpIngestOutcome ingest(
      SparkSession spark, LocalDate from, LocalDate to, String dataRoot, HttpSettings settings, URI baseUrl) {
    return ingest(spark, NyisoFeed.PAL, from, to, dataRoot, settings, baseUrl, IngestProgress.NONE);
  }

  /**
   * Fetches, lands and ingests {@code feed}'s New York days {@code from}..{@code to} (inclusive).
   *
   * @param feed {@link NyisoFeed#PAL}, {@link NyisoFeed#PAL_INTEGRATED} or {@link NyisoFeed#ISOLF}
   * @param progress told after every day: days done, rows so far (after the ingest), retries so far
   * @see #ingest(SparkSession, LocalDate, LocalDate, String, HttpSettings, URI)
   */
  public static HttpIngestOutcome ingest(SparkSession spark, NyisoFeed feed, LocalDate from, LocalDate to,
      String dataRoot, HttpSettings settings, URI baseUrl, IngestProgress progress) {
    return new NyisoHttpSource(feed, new HttpFetcher(settings), baseUrl, Clock.systemUTC())
        .withProgress(progress)
        .run(spark, from, to, dataRoot);
  }

  HttpIngestOutcome run(SparkSession spark, LocalDate from, LocalDate to, String dataRoot) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    LandingStore landing =
        new LandingStore(dataRoot, feed.source(), spark.sparkContext().hadoopConfiguration());
    List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
    List<String> landed = new ArrayList<>();
    List<String> notPublished = new ArrayList<>();
    int fetched = 0;
    int skipped = 0;
    long rowsFetched = 0;
    for (int i = 0; i < days.size(); i++) {
      LocalDate day = days.get(i);
      String relative = relativePath(day);
      String what;
      long rows;
      if (isComplete(day, landing.landedAt(relative))) {
        skipped++;
        landed.add(landing.path(relative));
        what = "already landed";
      } else if ((rows = fetchAndLand(day, landing, relative)) >= 0) {
        fetched++;
        rowsFetched += rows;
        landed.add(landing.path(relative));
        what = "fetched";
      } else {
        notPublished.add(day.toString());
        what = "not published (404)";
      }
      LOG.info("{} day {}/{} {}: {} (retries so far {})", feed.source(), i + 1, days.size(), day, what,
          fetcher.retries());
      progress.update(i + 1, days.size(), "days", rowsFetched, fetcher.retries());
    }
    IngestReport report;
    if (landed.isEmpty()) {
      report = new IngestReport(feed.source(), Instant.now(), 0, List.of(), 0, Duration.ZERO);
    } else if (feed == NyisoFeed.ISOLF) {
      report = new NyisoIsolfIngest().run(spark, landed, dataRoot);
    } else {
      report = new NyisoPalArchiveIngest(feed).run(spark, landed, dataRoot);
    }
    report = report.withRetries(fetcher.retries());
    progress.update(days.size(), days.size(), "days", report.totals().rowsParsed(), fetcher.retries());
    HttpIngestOutcome outcome =
        new HttpIngestOutcome(report, days.size(), fetched, skipped, notPublished, fetcher.retries());
    LOG.info(outcome.summary());
    return outcome;
  }

  /** {@code YYYYMM/YYYYMMDD<feed>.csv}: a folder per month keeps listings short over years of days. */
  String relativePath(LocalDate day) {
    return MONTH.format(day) + "/" + feed.dailyFile(day);
  }

  /** {@code <base>/<feed>/YYYYMMDD<feed>.csv} */
  URI dailyUrl(LocalDate day) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + feed.folder() + "/" + feed.dailyFile(day));
  }

  /** Landed after the New York day ended: NYISO no longer extends the file. */
  private static boolean isComplete(LocalDate day, Optional<Long> landedAtMillis) {
    Instant dayEnd = day.plusDays(1).atStartOfDay(NEW_YORK).toInstant();
    return landedAtMillis.map(t -> !Instant.ofEpochMilli(t).isBefore(dayEnd)).orElse(false);
  }

  /**
   * Fetches one day, checks it is this feed's CSV and lands it.
   *
   * @return rows read in the check (lines, or values for isolf, plus quarantined lines), or -1 when the
   *     service has no such file
   */
  private long fetchAndLand(LocalDate day, LandingStore landing, String relative) {
    URI url = dailyUrl(day);
    Optional<byte[]> body = fetcher.get(url);
    if (body.isEmpty()) {
      return -1;
    }
    long rows;
    try {
      // Parsed here only to refuse what is not this feed's CSV before it is landed; Spark parses it again.
      if (feed == NyisoFeed.ISOLF) {
        IsolfParseResult r =
            new IsolfCsvParser().parse(feed.dailyFile(day), new ByteArrayInputStream(body.get()));
        rows = r.rows().size() + r.quarantined().size();
      } else {
        rows = new NyisoPalCsvParser(feed).parse(feed.dailyFile(day), new ByteArrayInputStream(body.get()))
            .linesRead();
      }
    } catch (NyisoPalFormatException e) {
      throw new NyisoPalFormatException(url.toString(), e.problem(), e);
    } catch (IOException e) {
      throw new NyisoPalFormatException(url.toString(), "unreadable body: " + e, e);
    }
    if (!day.plusDays(1).atStartOfDay(NEW_YORK).toInstant().isBefore(clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
      LOG.info(feed.source() + " {} is today's (or a future) file: landed, but fetched again on the next run", day);
    }
    landing.writeAtomically(relative, body.get());
    return rows;
  }
}
