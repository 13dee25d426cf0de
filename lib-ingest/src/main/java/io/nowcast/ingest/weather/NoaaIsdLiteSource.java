package io.nowcast.ingest.weather;

import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.report.IngestReport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * NOAA ISD-Lite hourly observations: one gzip per station-year at {@code
 * {base}/{YYYY}/{USAF}-{WBAN}-{YYYY}.gz}, parsed by {@link IsdLiteParser} into the raw weather table with
 * source {@value #SOURCE} and station {@code USAF-WBAN}. A station-year that is not published (404) is
 * skipped with a log line; any other failure, or a damaged file, fails the run before anything is written.
 */
public final class NoaaIsdLiteSource {
  public static final String SOURCE = "noaa-isd-lite";
  public static final URI DEFAULT_BASE = URI.create("https://www.ncei.noaa.gov/pub/data/noaa/isd-lite");
  private static final Pattern STATION = Pattern.compile("\\d{6}-\\d{5}");

  private NoaaIsdLiteSource() {}

  /** The URL of one station-year file. */
  public static URI url(URI base, String station, int year) {
    if (!STATION.matcher(station).matches()) {
      throw new IllegalArgumentException(
          "ISD station id must be USAF-WBAN (6 and 5 digits, e.g. 725030-14732), got '" + station + "'");
    }
    String root = base.toString().endsWith("/") ? base.toString() : base + "/";
    return URI.create(root + year + "/" + station + "-" + year + ".gz");
  }

  /**
   * Fetches and ingests every station-year in {@code [fromYear, toYear]}.
   *
   * @param stations ISD ids {@code USAF-WBAN}
   * @param base the service root (tests point it at a loopback server), e.g. {@link #DEFAULT_BASE}
   */
  public static IngestReport ingest(SparkSession spark, List<String> stations, int fromYear, int toYear,
      String dataRoot, HttpSettings settings, URI base) {
    WeatherTableIngest.requireUtcSession(spark);
    if (fromYear > toYear) {
      throw new IllegalArgumentException("fromYear " + fromYear + " > toYear " + toYear);
    }
    List<URI> urls = new ArrayList<>();
    for (String station : stations) {
      for (int year = fromYear; year <= toYear; year++) {
        urls.add(url(base, station, year));
      }
    }
    HttpFetcher fetcher = new HttpFetcher(settings);
    return new WeatherTableIngest(SOURCE, new IsdLiteParser())
        .run(spark, HttpWeatherFiles.fetch(spark, fetcher, base.toString(), urls), dataRoot);
  }
}
