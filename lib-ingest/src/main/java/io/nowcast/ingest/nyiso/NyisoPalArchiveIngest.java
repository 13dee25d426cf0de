package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.progress.IngestProgress;
import io.nowcast.ingest.progress.SparkParseProgress;
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
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests NYISO {@code pal} monthly archives ({@code YYYYMM01pal_csv.zip} of daily {@code YYYYMMDDpal.csv})
 * into the raw load table (DESIGN §4) in UTC, with source {@value #SOURCE} and a 5-minute interval; or, built
 * with {@link NyisoFeed#PAL_INTEGRATED}, the hourly {@code palIntegrated} files (same layout, last column
 * {@code Integrated Load}) with source {@code nyiso-pal-integrated}, {@code interval_min} 60 and a 60-minute
 * grid.
 *
 * <p>Flow: the archives are read with Spark's {@code binaryFile} source (any Hadoop file system: {@code
 * file:}, {@code s3a://}); each archive is parsed on an executor by {@link NyisoPalArchive} (local time + the
 * file's {@code Time Zone} column to UTC, bad lines to quarantine); everything after is Column expressions.
 *
 * <p><b>Snapping</b> ({@link IntervalGrid}): NYISO stamps are nominal 5-minute times recorded a few seconds
 * to minutes off, and up to several land near one grid point. Each stamp is moved to the <em>nearest</em>
 * 5-minute UTC boundary (exactly half-way, {@code hh:m2:30}, goes to the later one), and per region and
 * boundary one row is kept: one with a load over a published gap, then the stamp closest to the boundary,
 * then the later stamp (then the later file and line, so the choice never depends on row order). Rows are
 * not averaged: the kept value is a published reading, and the report counts what was snapped and collapsed.
 *
 * <p><b>Safety</b>: the first Spark action parses every archive and gathers the counts, so a truncated or
 * corrupt archive fails the run (with {@link NyisoPalFormatException} naming it) before anything is written.
 * Rows already in the UTC-month partitions the run rewrites are kept where their local day is not one the
 * run read ({@link ExistingRowsMerge}), so months can be ingested one at a time in any order. Quarantined
 * lines go to {@code <dataRoot>/quarantine/nyiso-pal} ({@link QuarantineWriter}); nothing is dropped without
 * a count in the returned {@link IngestReport}.
 *
 * <p>Requires the session time zone UTC (DESIGN §4): the {@code month} partition is {@code
 * date_format(ts, 'yyyy-MM')}, which Spark renders in the session time zone.
 */
public final class NyisoPalArchiveIngest {
  /** The {@code source} value of rows and the quarantine table's name. */
  public static final String SOURCE = "nyiso-pal";
  /** The zone NYISO's local days are in; used only to find which days a run replaces. */
  static final String LOCAL_ZONE = "America/New_York";

  private final NyisoFeed feed;
  private final String source;

  /** The {@code pal} (5-minute) ingest. */
  public NyisoPalArchiveIngest() {
    this(NyisoFeed.PAL);
  }

  /** The ingest of a load feed: {@link NyisoFeed#PAL} or {@link NyisoFeed#PAL_INTEGRATED}. */
  public NyisoPalArchiveIngest(NyisoFeed feed) {
    if (feed.loadColumn() == null) {
      throw new IllegalArgumentException(feed + " is not a load feed; its ingest is NyisoIsolfIngest");
    }
    this.feed = feed;
    this.source = feed.source();
  }

  private long stepSeconds() {
    return feed.intervalMin() * 60L;
  }

  /**
   * Ingests the archives into {@code dataRoot}.
   *
   * @param spark a session with time zone UTC
   * @param archivePaths archive paths or URIs (globs allowed), any Hadoop file system
   * @param dataRoot the data root ({@code file:}, {@code s3a://} or a local path)
   * @return what was read, quarantined, snapped, collapsed and written, per daily file
   * @throws NyisoPalFormatException if an archive (or a file in it) is not a NYISO pal archive; nothing is
   *     written then
   */
  public IngestReport run(SparkSession spark, List<String> archivePaths, String dataRoot) {
    return run(spark, archivePaths, dataRoot, IngestProgress.NONE);
  }

  /**
   * Ingests the archives into {@code dataRoot}, telling {@code progress} about archives parsed.
   *
   * @see #run(SparkSession, List, String)
   */
  public IngestReport run(
      SparkSession spark, List<String> archivePaths, String dataRoot, IngestProgress progress) {
    requireUtcSession(spark);
    if (archivePaths == null || archivePaths.isEmpty()) {
      throw new IllegalArgumentException("no NYISO " + feed.folder() + " archives given");
    }
    long start = System.nanoTime();
    // One stamp for the whole run, at microsecond precision as Spark stores it.
    Instant ingestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> parsed;
      PalFileCounts counts;
      try (SparkParseProgress parse =
          new SparkParseProgress(spark, progress, inputCount(spark, archivePaths), "archives")) {
        parsed = cache(cached, parse(spark, archivePaths, parse));
        counts = PalFileCounts.ofParsed(parsed, stepSeconds());
        parse.finish();
      }

      Dataset<Row> fresh = cache(cached, toRawLoad(parsed, ingestedAt));
      Set<String> months = counts.countKept(fresh);

      ExistingRowsMerge.Result merge =
          ExistingRowsMerge.merge(spark, fresh, dataRoot, source, months, counts.days(), LOCAL_ZONE);
      Dataset<Row> toWrite = fresh;
      if (merge.keepsExisting()) {
        toWrite = cache(cached, merge.rows());
        counts.countWritten(toWrite); // also materialises existing rows before their partitions are replaced
      } else {
        counts.allKeptWritten();
      }
      RawTableWriter.writeLoad(toWrite, dataRoot);

      Set<String> quarantineDays = counts.daysWithQuarantine(QuarantineTable.UNKNOWN_DAY);
      QuarantineWriter.write(
          spark, toQuarantine(parsed, ingestedAt), quarantineDays, counts.days(), dataRoot, source);

      return new IngestReport(
          source,
          ingestedAt,
          counts.archives(),
          counts.reports(),
          counts.existingRowsKept(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (Exception e) { // Spark throws its (checked) SparkException from undeclared Scala methods
      throw explained(e);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** Parse output ({@link PalParseFunction#SCHEMA}) of all archives, one task per archive where possible. */
  private Dataset<Row> parse(SparkSession spark, List<String> archivePaths, SparkParseProgress progress) {
    Dataset<Row> archives = binaryFiles(spark, archivePaths);
    // binaryFile packs many small files into one split; one partition per archive parses them in parallel.
    // (inputFiles() is the driver's file listing, not a job.)
    int files = archives.inputFiles().length;
    Dataset<Row> spread =
        files > 1 ? archives.repartition(files, col(PalParseFunction.BINARY_PATH)) : archives;
    return spread.flatMap(new PalParseFunction(feed, progress.inputs(), progress.rows()),
        Encoders.row(PalParseFunction.SCHEMA));
  }

  private static Dataset<Row> binaryFiles(SparkSession spark, List<String> paths) {
    return spark
        .read()
        .format("binaryFile")
        .load(paths.toArray(String[]::new))
        .select(PalParseFunction.BINARY_PATH, PalParseFunction.BINARY_CONTENT);
  }

  /** Files the paths name (globs expanded): the driver's listing, not a job. */
  private static long inputCount(SparkSession spark, List<String> paths) {
    return binaryFiles(spark, paths).inputFiles().length;
  }

  /** Accepted rows snapped to the grid, one per region and interval, in raw load columns + archive, file. */
  private Dataset<Row> toRawLoad(Dataset<Row> parsed, Instant ingestedAt) {
    Dataset<Row> accepted = parsed.filter(col(PalParseFunction.KIND).equalTo(PalParseFunction.KIND_ROW));
    return IntervalGrid.closestPerBin(accepted, stepSeconds())
        .withColumn(RawLoadTable.TS, timestamp_seconds(col(IntervalGrid.BIN_S)))
        .select(
            col(PalParseFunction.REGION).as(RawLoadTable.REGION),
            col(RawLoadTable.TS),
            col(PalParseFunction.LOAD_MW).as(RawLoadTable.LOAD_MW),
            lit(source).as(RawLoadTable.SOURCE),
            lit(feed.intervalMin()).as(RawLoadTable.INTERVAL_MIN),
            lit(ingestedAt).as(RawLoadTable.INGESTED_AT),
            date_format(col(RawLoadTable.TS), "yyyy-MM").as(RawLoadTable.MONTH),
            col(PalParseFunction.ARCHIVE).as(ExistingRowsMerge.ARCHIVE),
            col(PalParseFunction.FILE).as(ExistingRowsMerge.FILE));
  }

  /** Quarantined lines in {@link QuarantineTable} columns. */
  private Dataset<Row> toQuarantine(Dataset<Row> parsed, Instant ingestedAt) {
    return parsed
        .filter(col(PalParseFunction.KIND).equalTo(PalParseFunction.KIND_QUARANTINE))
        .select(
            lit(source).as(QuarantineTable.SOURCE),
            col(PalParseFunction.ARCHIVE).as(QuarantineTable.ARCHIVE),
            col(PalParseFunction.FILE).as(QuarantineTable.FILE),
            col(PalParseFunction.LINE).as(QuarantineTable.LINE),
            col(PalParseFunction.REASON).as(QuarantineTable.REASON),
            col(PalParseFunction.RAW).as(QuarantineTable.RAW),
            lit(ingestedAt).as(QuarantineTable.INGESTED_AT),
            coalesce(col(PalParseFunction.FILE_DAY), lit(QuarantineTable.UNKNOWN_DAY))
                .as(QuarantineTable.DAY));
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> data) {
    Dataset<Row> persisted = data.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  private static void requireUtcSession(SparkSession spark) {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    if (!ZoneId.of(zone).normalized().equals(ZoneOffset.UTC)) {
      throw new IllegalStateException(
          "spark.sql.session.timeZone is '" + zone + "'; the nowcast jobs require UTC (DESIGN §4)");
    }
  }

  /**
   * Spark wraps an executor's exception in its own; surface the archive problem with its own message so the
   * caller sees which file is bad, keeping Spark's exception as the cause.
   */
  private RuntimeException explained(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NyisoPalFormatException f) {
        return t == e ? f : new NyisoPalFormatException(f.input(), f.problem(), e);
      }
    }
    return e instanceof RuntimeException r
        ? r
        : new IllegalStateException(source + " ingest failed: " + e, e);
  }
}
