package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.year;

import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.ingest.store.RawTableWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every weather source shares: parse {@link WeatherFiles} rows on executors with the source's
 * {@link WeatherFileParser}, collapse duplicate (station, ts) rows ({@link WeatherDuplicates}), keep other
 * stations' rows in the rewritten year partitions ({@link ExistingWeatherRows}), write the raw weather table
 * and the quarantine, and account for every line in an {@link IngestReport}.
 *
 * <p>Safety: the first action parses every file, so a damaged file fails the run (a {@link
 * WeatherFormatException} naming it) before anything is written. Requires a UTC session (DESIGN §4): the
 * {@code year} partition is the UTC year of {@code ts}.
 */
public final class WeatherTableIngest {
  private static final Logger LOG = LoggerFactory.getLogger(WeatherTableIngest.class);

  private final String source;
  private final WeatherFileParser parser;

  /**
   * @param source the {@code source} value of the rows and the quarantine table's name
   * @param parser the source's file parser
   */
  public WeatherTableIngest(String source, WeatherFileParser parser) {
    this.source = source;
    this.parser = parser;
  }

  /**
   * @param files rows of {@link WeatherFiles#SCHEMA}, ideally one partition per file or a few
   * @param dataRoot {@code file:}, {@code s3a://} or a local path
   * @throws WeatherFormatException if a file as a whole is unreadable; nothing is written then
   */
  public IngestReport run(SparkSession spark, Dataset<Row> files, String dataRoot) {
    requireUtcSession(spark);
    long start = System.nanoTime();
    Instant ingestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> parsed = cache(cached,
          files.flatMap(new WeatherParseFunction(parser), Encoders.row(WeatherParseFunction.SCHEMA)));
      WeatherFileCounts counts = WeatherFileCounts.ofParsed(parsed);

      Dataset<Row> fresh = cache(cached, WeatherDuplicates.collapse(toRawWeather(parsed)));
      counts.countKept(fresh);
      Dataset<Row> owned = cache(cached, fresh.select(RawWeatherTable.STATION, RawWeatherTable.YEAR).distinct());
      List<Integer> years =
          owned.select(RawWeatherTable.YEAR).distinct().as(Encoders.INT()).collectAsList();

      Dataset<Row> toWrite = fresh;
      Optional<Dataset<Row>> existing = ExistingWeatherRows.toKeep(spark, dataRoot, source, years, owned);
      if (existing.isPresent()) {
        Dataset<Row> kept = cache(cached, existing.get());
        counts.existingRowsKept(kept.count()); // also materialises them before their partitions are replaced
        toWrite = fresh.unionByName(kept);
      }
      if (!years.isEmpty()) {
        RawTableWriter.writeWeather(toWrite, dataRoot);
      }

      List<String> filesRead = counts.reports().stream().map(r -> r.file()).toList();
      WeatherQuarantineWriter.write(spark, toQuarantine(parsed, ingestedAt), counts.quarantined() > 0,
          counts.days(QuarantineTable.UNKNOWN_DAY), filesRead, dataRoot, source);

      if (counts.skipped() > 0) {
        LOG.info("{}: {} line(s) outside the requested years were not read", source, counts.skipped());
      }
      return new IngestReport(source, ingestedAt, counts.containers(), counts.reports(),
          counts.existingRowsKept(), Duration.ofNanos(System.nanoTime() - start));
    } catch (Exception e) { // Spark throws its checked SparkException from undeclared Scala methods
      throw explained(e);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** Accepted rows in raw weather columns, plus the parse's container, file and line. */
  private Dataset<Row> toRawWeather(Dataset<Row> parsed) {
    return parsed
        .filter(col(WeatherParseFunction.KIND).equalTo(WeatherParseFunction.KIND_ROW))
        .withColumn(RawWeatherTable.TS, timestamp_seconds(col(WeatherParseFunction.TS_S)))
        .select(
            col(WeatherParseFunction.STATION).as(RawWeatherTable.STATION),
            col(RawWeatherTable.TS),
            col(WeatherParseFunction.TEMP_C).as(RawWeatherTable.TEMP_C),
            col(WeatherParseFunction.DEWPOINT_C).as(RawWeatherTable.DEWPOINT_C),
            col(WeatherParseFunction.RH_PCT).as(RawWeatherTable.RH_PCT),
            col(WeatherParseFunction.WIND_MPS).as(RawWeatherTable.WIND_MPS),
            col(WeatherParseFunction.PRESSURE_HPA).as(RawWeatherTable.PRESSURE_HPA),
            col(WeatherParseFunction.PRECIP_MM).as(RawWeatherTable.PRECIP_MM),
            lit(source).as(RawWeatherTable.SOURCE),
            year(col(RawWeatherTable.TS)).as(RawWeatherTable.YEAR),
            col(WeatherParseFunction.CONTAINER),
            col(WeatherParseFunction.FILE),
            col(WeatherParseFunction.LINE));
  }

  private Dataset<Row> toQuarantine(Dataset<Row> parsed, Instant ingestedAt) {
    return parsed
        .filter(col(WeatherParseFunction.KIND).equalTo(WeatherParseFunction.KIND_QUARANTINE))
        .select(
            lit(source).as(QuarantineTable.SOURCE),
            col(WeatherParseFunction.CONTAINER).as(QuarantineTable.ARCHIVE),
            col(WeatherParseFunction.FILE).as(QuarantineTable.FILE),
            col(WeatherParseFunction.LINE).as(QuarantineTable.LINE),
            col(WeatherParseFunction.REASON).as(QuarantineTable.REASON),
            col(WeatherParseFunction.RAW).as(QuarantineTable.RAW),
            lit(ingestedAt).as(QuarantineTable.INGESTED_AT),
            coalesce(col(WeatherParseFunction.DAY), lit(QuarantineTable.UNKNOWN_DAY)).as(QuarantineTable.DAY));
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> data) {
    Dataset<Row> persisted = data.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  static void requireUtcSession(SparkSession spark) {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    if (!ZoneId.of(zone).normalized().equals(ZoneOffset.UTC)) {
      throw new IllegalStateException(
          "spark.sql.session.timeZone is '" + zone + "'; the nowcast jobs require UTC (DESIGN §4)");
    }
  }

  /** Surfaces a file problem thrown on an executor with its own message, Spark's exception as the cause. */
  private RuntimeException explained(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WeatherFormatException f) {
        return t == e ? f : new WeatherFormatException(f.input(), f.problem(), e);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(source + " ingest failed: " + e, e);
  }
}
