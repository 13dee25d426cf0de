package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;

import io.nowcast.ingest.contract.RawIsoForecastTable;
import io.nowcast.ingest.progress.IngestProgress;
import io.nowcast.ingest.progress.SparkParseProgress;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.ingest.store.RawTableWriter;
import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Ingests NYISO's own load forecast ({@code isolf}: monthly {@code YYYYMM01isolf_csv.zip} archives or landed
 * daily {@code YYYYMMDDisolf.csv} files) into {@link RawIsoForecastTable} with source {@value #SOURCE}.
 *
 * <p>Flow as in {@link NyisoPalArchiveIngest}: Spark's {@code binaryFile} source reads the inputs (any Hadoop
 * file system), {@link IsolfParseFunction} parses each on an executor ({@link IsolfCsvParser}: New York local
 * hours to UTC, the autumn repeated hour by order), and the first action gathers the per-file counts, so a
 * damaged input fails the run before anything is written.
 *
 * <p>Partitions are months of the <em>issue day</em>, so a run owns exactly the issue days of the files it
 * read: rows of other issue days already in the months it rewrites are written back unchanged (a run over a
 * few days over HTTP does not erase the rest of the month). Each issue day may come from one input file only:
 * the same day twice (say in two archives) is an error naming both, rather than a silent pick.
 */
public final class NyisoIsolfIngest {
  /** The {@code source} value of rows and the quarantine table's name. */
  public static final String SOURCE = NyisoFeed.ISOLF.source();

  /** Ingests without progress reports. */
  public IngestReport run(SparkSession spark, List<String> inputs, String dataRoot) {
    return run(spark, inputs, dataRoot, IngestProgress.NONE);
  }

  /**
   * Ingests the inputs into {@code dataRoot}.
   *
   * @param spark a session with time zone UTC
   * @param inputs monthly archives and/or daily files (paths or URIs, any Hadoop file system)
   * @param progress told about inputs parsed while Spark works
   * @return per daily file: values parsed, lines quarantined, rows written
   * @throws NyisoPalFormatException if an input is not an isolf archive or CSV (nothing is written then)
   */
  public IngestReport run(SparkSession spark, List<String> inputs, String dataRoot, IngestProgress progress) {
    requireUtc(spark);
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("no NYISO isolf archives or files given");
    }
    long start = System.nanoTime();
    Instant ingestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> read = spark.read().format("binaryFile").load(inputs.toArray(String[]::new))
          .select(PalParseFunction.BINARY_PATH, PalParseFunction.BINARY_CONTENT);
      int files = read.inputFiles().length;
      Dataset<Row> spread = files > 1 ? read.repartition(files, col(PalParseFunction.BINARY_PATH)) : read;
      Dataset<Row> parsed;
      Counts counts;
      try (SparkParseProgress parse = new SparkParseProgress(spark, progress, files, "inputs")) {
        parsed = spread.flatMap(new IsolfParseFunction(parse.inputs(), parse.rows()),
            Encoders.row(IsolfParseFunction.SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(parsed);
        counts = Counts.of(parsed);
        parse.finish();
      }

      Dataset<Row> fresh = parsed
          .filter(col(IsolfParseFunction.KIND).equalTo(IsolfParseFunction.KIND_ROW))
          .select(
              col(IsolfParseFunction.REGION).as(RawIsoForecastTable.REGION),
              to_date(col(IsolfParseFunction.ISSUE_DAY)).as(RawIsoForecastTable.ISSUE_DATE),
              timestamp_seconds(col(IsolfParseFunction.TARGET_S)).as(RawIsoForecastTable.TARGET_TS),
              col(IsolfParseFunction.FORECAST_MW).as(RawIsoForecastTable.FORECAST_MW),
              lit(SOURCE).as(RawIsoForecastTable.SOURCE),
              lit(ingestedAt).as(RawIsoForecastTable.INGESTED_AT),
              date_format(to_date(col(IsolfParseFunction.ISSUE_DAY)), "yyyy-MM").as(RawIsoForecastTable.MONTH));
      long existingKept = 0;
      Dataset<Row> toWrite = fresh;
      Dataset<Row> existing = existingToKeep(spark, dataRoot, counts.months(), counts.days());
      if (existing != null) {
        // Cut from the files it was read from before they are overwritten (see ExistingRangeMerge).
        Dataset<Row> keptNow = existing.localCheckpoint(true);
        existingKept = keptNow.count();
        toWrite = fresh.unionByName(keptNow);
      }
      RawTableWriter.writeIsoForecast(toWrite, dataRoot);

      QuarantineWriter.write(spark, toQuarantine(parsed, ingestedAt), counts.daysWithQuarantine(),
          counts.days(), dataRoot, SOURCE);
      return new IngestReport(SOURCE, ingestedAt, files, counts.reports(), existingKept,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (Exception e) { // Spark throws its checked SparkException from undeclared Scala methods
      throw explained(e);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** Rows of the months to rewrite whose issue day this run does not own; null when none exist yet. */
  private static Dataset<Row> existingToKeep(
      SparkSession spark, String dataRoot, Set<String> months, Set<String> ownedDays) {
    String table = TablePaths.resolve(dataRoot, RawIsoForecastTable.PATH);
    List<String> partitions = new ArrayList<>();
    try {
      Path root = new Path(table);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String month : months) {
        Path p = new Path(root, RawIsoForecastTable.SOURCE + "=" + SOURCE + "/" + RawIsoForecastTable.MONTH
            + "=" + month);
        if (fs.exists(p)) {
          partitions.add(p.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list existing partitions of " + table, e);
    }
    if (partitions.isEmpty()) {
      return null;
    }
    Object[] owned = ownedDays.stream().map(d -> Date.valueOf(LocalDate.parse(d))).toArray();
    return spark.read().schema(RawIsoForecastTable.SCHEMA).option("basePath", table)
        .parquet(partitions.toArray(String[]::new))
        .filter(not(col(RawIsoForecastTable.ISSUE_DATE).isin(owned)));
  }

  private static Dataset<Row> toQuarantine(Dataset<Row> parsed, Instant ingestedAt) {
    return parsed
        .filter(col(IsolfParseFunction.KIND).equalTo(IsolfParseFunction.KIND_QUARANTINE))
        .select(
            lit(SOURCE).as(QuarantineTable.SOURCE),
            col(IsolfParseFunction.ARCHIVE).as(QuarantineTable.ARCHIVE),
            col(IsolfParseFunction.FILE).as(QuarantineTable.FILE),
            col(IsolfParseFunction.LINE).as(QuarantineTable.LINE),
            col(IsolfParseFunction.REASON).as(QuarantineTable.REASON),
            col(IsolfParseFunction.RAW).as(QuarantineTable.RAW),
            lit(ingestedAt).as(QuarantineTable.INGESTED_AT),
            col(IsolfParseFunction.ISSUE_DAY).as(QuarantineTable.DAY));
  }

  /** Per-file counts from one small aggregation (a row per file, kind and reason). */
  private static final class Counts {
    private final Map<List<String>, long[]> values = new TreeMap<>(Counts::compare);
    private final Map<List<String>, Map<String, Long>> reasons = new HashMap<>();
    private final Map<String, List<String>> fileOfDay = new TreeMap<>();

    static Counts of(Dataset<Row> parsed) {
      Counts c = new Counts();
      for (Row g : parsed.groupBy(IsolfParseFunction.ARCHIVE, IsolfParseFunction.FILE,
              IsolfParseFunction.ISSUE_DAY, IsolfParseFunction.KIND, IsolfParseFunction.REASON)
          .agg(count(lit(1)).as("n")).collectAsList()) {
        List<String> key = List.of(g.getAs(IsolfParseFunction.ARCHIVE), g.getAs(IsolfParseFunction.FILE));
        String day = g.getAs(IsolfParseFunction.ISSUE_DAY);
        long n = g.getAs("n");
        c.values.computeIfAbsent(key, k -> new long[1]);
        List<String> other = c.fileOfDay.putIfAbsent(day, key);
        if (other != null && !other.equals(key)) {
          throw new IllegalArgumentException("isolf issue day " + day + " is in two inputs: " + other.get(1)
              + " of " + other.get(0) + " and " + key.get(1) + " of " + key.get(0) + "; give each day once");
        }
        switch ((String) g.getAs(IsolfParseFunction.KIND)) {
          case IsolfParseFunction.KIND_ROW -> c.values.get(key)[0] += n;
          case IsolfParseFunction.KIND_QUARANTINE ->
              c.reasons.computeIfAbsent(key, k -> new TreeMap<>())
                  .merge(g.getAs(IsolfParseFunction.REASON), n, Long::sum);
          default -> {} // file marker: lists files without values too
        }
      }
      return c;
    }

    private static int compare(List<String> a, List<String> b) {
      int byArchive = a.get(0).compareTo(b.get(0));
      return byArchive != 0 ? byArchive : a.get(1).compareTo(b.get(1));
    }

    Set<String> days() {
      return new TreeSet<>(fileOfDay.keySet());
    }

    Set<String> months() {
      Set<String> months = new TreeSet<>();
      fileOfDay.keySet().forEach(d -> months.add(d.substring(0, 7)));
      return months;
    }

    Set<String> daysWithQuarantine() {
      Set<String> days = new TreeSet<>();
      fileOfDay.forEach((day, key) -> {
        if (reasons.containsKey(key)) {
          days.add(day);
        }
      });
      return days;
    }

    /** Values are written one for one (no duplicates can arise within a day, and days are unique). */
    List<FileReport> reports() {
      List<FileReport> out = new ArrayList<>();
      values.forEach((key, v) -> {
        Map<String, Long> r = reasons.getOrDefault(key, Map.of());
        long quarantined = r.values().stream().mapToLong(Long::longValue).sum();
        out.add(new FileReport(key.get(0), key.get(1), v[0] + quarantined, r, 0, 0, 0, 0, v[0]));
      });
      return out;
    }
  }

  private static void requireUtc(SparkSession spark) {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    if (!ZoneId.of(zone).normalized().equals(ZoneOffset.UTC)) {
      throw new IllegalStateException(
          "spark.sql.session.timeZone is '" + zone + "'; the nowcast jobs require UTC (DESIGN §4)");
    }
  }

  private static RuntimeException explained(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NyisoPalFormatException f) {
        return t == e ? f : new NyisoPalFormatException(f.input(), f.problem(), e);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(SOURCE + " ingest failed: " + e, e);
  }
}
