package io.nowcast.ingest.weather;

import io.nowcast.ingest.http.HttpFetcher;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches weather files on the driver, one request at a time through one {@link HttpFetcher} (so its pacing
 * and backoff govern the whole run: public services rate-limit per client), and hands them to Spark as
 * {@link WeatherFiles} rows. Driver-side fetching is bounded by the request: a station-year of ISD-Lite is
 * ~100 KB gzip, a Meteostat station history a few MB.
 */
final class HttpWeatherFiles {
  private static final Logger LOG = LoggerFactory.getLogger(HttpWeatherFiles.class);

  private HttpWeatherFiles() {}

  /**
   * @param container the base URL, shown as the files' container in reports
   * @return one row per URL that answered 200 (a 404 means not published: logged and skipped)
   * @throws io.nowcast.ingest.http.FetchFailedException naming the URL after the last retry
   */
  static Dataset<Row> fetch(SparkSession spark, HttpFetcher fetcher, String container, List<URI> urls) {
    List<Row> files = new ArrayList<>();
    int done = 0;
    for (URI url : urls) {
      Optional<byte[]> body = fetcher.get(url);
      done++;
      if (body.isPresent()) {
        files.add(RowFactory.create(container, url.toString(), body.get()));
      } else {
        LOG.warn("{} is not published (404); skipped", url);
      }
      LOG.info("fetched {}/{} files ({} retries so far)", done, urls.size(), fetcher.retries());
    }
    int partitions = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 2));
    return spark.createDataFrame(files, WeatherFiles.SCHEMA).repartition(partitions);
  }
}
