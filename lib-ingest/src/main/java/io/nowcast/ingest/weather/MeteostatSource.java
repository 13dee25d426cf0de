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
 * Meteostat bulk hourly data: one gzip CSV per station holding its whole history at {@code
 * {base}/v2/hourly/{station}.csv.gz}, parsed by {@link MeteostatParser} into the raw weather table with
 * source {@value #SOURCE}. Only the requested years are ingested (and owned: other years of the station in
 * the table are left alone). A station not published (404) is skipped with a log line.
 */
public final class MeteostatSource {
  public static final String SOURCE = "meteostat";
  public static final URI DEFAULT_BASE = URI.create("https://bulk.meteostat.net");
  private static final Pattern STATION = Pattern.compile("[A-Za-z0-9]{4,6}");

  private MeteostatSource() {}

  /** The URL of one station's bulk hourly file. */
  public static URI url(URI base, String station) {
    if (!STATION.matcher(station).matches()) {
      throw new IllegalArgumentException(
          "Meteostat station id must be 4-6 letters or digits (e.g. 72503, KJFK0), got '" + station + "'");
    }
    String root = base.toString().endsWith("/") ? base.toString() : base + "/";
    return URI.create(root + "v2/hourly/" + station + ".csv.gz");
  }

  /** Fetches each station's file and ingests its rows of {@code [fromYear, toYear]}. */
  public static IngestReport ingest(SparkSession spark, List<String> stations, int fromYear, int toYear,
      String dataRoot, HttpSettings settings, URI base) {
    WeatherTableIngest.requireUtcSession(spark);
    List<URI> urls = new ArrayList<>();
    stations.forEach(s -> urls.add(url(base, s)));
    HttpFetcher fetcher = new HttpFetcher(settings);
    return new WeatherTableIngest(SOURCE, new MeteostatParser(fromYear, toYear))
        .run(spark, HttpWeatherFiles.fetch(spark, fetcher, base.toString(), urls), dataRoot);
  }
}
