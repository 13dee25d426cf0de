package io.nowcast.ingest.nyiso;

import io.nowcast.ingest.http.FetchFailedException;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
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
 * Ingests NYISO {@code pal} (real-time actual load) from NYISO's public CSV service: one daily file
 * {@code <base>/pal/YYYYMMDDpal.csv} per New York day, written to the raw load table exactly as the archive
 * ingest writes it ({@link NyisoPalArchiveIngest}, which this class feeds).
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
  /** The landing folder's name under {@code <dataRoot>/landing}. */
  public static final String LANDING = NyisoPalArchiveIngest.SOURCE;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM", Locale.ROOT);
  private static final ZoneId NEW_YORK = ZoneId.of(NyisoPalArchiveIngest.LOCAL_ZONE);

  private final HttpFetcher fetcher;
  private final URI baseUrl;
  private final Clock clock;

  NyisoHttpSource(HttpFetcher fetcher, URI baseUrl, Clock clock) {
    this.fetcher = fetcher;
    this.baseUrl = baseUrl;
    this.clock = clock;
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
    return new NyisoHttpSource(new HttpFetcher(settings), baseUrl, Clock.systemUTC())
        .run(spark, from, to, dataRoot);
  }

  HttpIngestOutcome run(SparkSession spark, LocalDate from, LocalDate to, String dataRoot) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    LandingStore landing =
        new LandingStore(dataRoot, LANDING, spark.sparkContext().hadoopConfiguration());
    List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
    List<String> landed = new ArrayList<>();
    List<String> notPublished = new ArrayList<>();
    int fetched = 0;
    int skipped = 0;
    for (int i = 0; i < days.size(); i++) {
      LocalDate day = days.get(i);
      String relative = relativePath(day);
      String what;
      if (isComplete(day, landing.landedAt(relative))) {
        skipped++;
        landed.add(landing.path(relative));
        what = "already landed";
      } else if (fetchAndLand(day, landing, relative)) {
        fetched++;
        landed.add(landing.path(relative));
        what = "fetched";
      } else {
        notPublished.add(day.toString());
        what = "not published (404)";
      }
      LOG.info("nyiso-pal day {}/{} {}: {} (retries so far {})", i + 1, days.size(), day, what,
          fetcher.retries());
    }
    IngestReport report =
        landed.isEmpty()
            ? new IngestReport(NyisoPalArchiveIngest.SOURCE, Instant.now(), 0, List.of(), 0, Duration.ZERO)
            : new NyisoPalArchiveIngest().run(spark, landed, dataRoot);
    HttpIngestOutcome outcome =
        new HttpIngestOutcome(report, days.size(), fetched, skipped, notPublished, fetcher.retries());
    LOG.info(outcome.summary());
    return outcome;
  }

  /** {@code YYYYMM/YYYYMMDDpal.csv}: a folder per month keeps listings short over years of days. */
  static String relativePath(LocalDate day) {
    return MONTH.format(day) + "/" + fileName(day);
  }

  static String fileName(LocalDate day) {
    return DAY.format(day) + "pal.csv";
  }

  /** {@code <base>/pal/YYYYMMDDpal.csv} */
  URI dailyUrl(LocalDate day) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "pal/" + fileName(day));
  }

  /** Landed after the New York day ended: NYISO no longer extends the file. */
  private static boolean isComplete(LocalDate day, Optional<Long> landedAtMillis) {
    Instant dayEnd = day.plusDays(1).atStartOfDay(NEW_YORK).toInstant();
    return landedAtMillis.map(t -> !Instant.ofEpochMilli(t).isBefore(dayEnd)).orElse(false);
  }

  /** Fetches one day, checks it is a pal CSV and lands it; false when the service has no such file. */
  private boolean fetchAndLand(LocalDate day, LandingStore landing, String relative) {
    URI url = dailyUrl(day);
    Optional<byte[]> body = fetcher.get(url);
    if (body.isEmpty()) {
      return false;
    }
    try {
      // Parsed here only to refuse what is not a pal CSV before it is landed; Spark parses it again.
      new NyisoPalCsvParser().parse(fileName(day), new ByteArrayInputStream(body.get()));
    } catch (NyisoPalFormatException e) {
      throw new NyisoPalFormatException(url.toString(), e.problem(), e);
    } catch (IOException e) {
      throw new NyisoPalFormatException(url.toString(), "unreadable body: " + e, e);
    }
    if (!day.plusDays(1).atStartOfDay(NEW_YORK).toInstant().isBefore(clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
      LOG.info("nyiso-pal {} is today's (or a future) file: landed, but fetched again on the next run", day);
    }
    landing.writeAtomically(relative, body.get());
    return true;
  }
}
