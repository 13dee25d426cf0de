package io.nowcast.jobs;

import io.nowcast.ingest.nyiso.NyisoFeed;
import io.nowcast.ingest.nyiso.NyisoIsolfIngest;
import io.nowcast.ingest.nyiso.NyisoPalArchiveIngest;
import io.nowcast.ingest.progress.IngestProgress;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.tracking.RunTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Ingests NYISO monthly archives ({@code pal}, {@code palIntegrated} or {@code isolf}) from a folder, and
 * records an ingest report in MLflow ({@link #logReport}).
 */
public final class IngestJob {
  /** Where the report JSON goes among the run's artifacts: {@code ingest/report.json}. */
  public static final String REPORT_ARTIFACT_DIR = "ingest";
  public static final String REPORT_ARTIFACT_NAME = "report.json";

  private IngestJob() {}

  /** The archives read and the ingest report. */
  public record Result(List<String> archives, IngestReport report) {
    /** Totals only: the per-file table has a line per day (see the JSON report for it). */
    public String summary() {
      var t = report.totals();
      if (report.source().equals(NyisoIsolfIngest.SOURCE)) {
        return String.format(java.util.Locale.ROOT,
            "ingested %d NYISO archive(s) (%s) in %.1f s: %d forecast values and quarantined lines parsed, %d"
                + " quarantined, %d rows written to raw/iso_forecast",
            archives.size(), report.source(), report.elapsed().toMillis() / 1000.0, t.rowsParsed(),
            t.quarantined(), t.rowsWritten());
      }
      return String.format(
          "ingested %d NYISO archive(s) (%s) in %.1f s: %d rows parsed, %d quarantined, %d empty loads kept as"
              + " gaps, %d off-grid stamps snapped, %d duplicates collapsed, %d rows written",
          archives.size(), report.source(), report.elapsed().toMillis() / 1000.0, t.rowsParsed(),
          t.quarantined(), t.emptyLoadRows(), t.offGridSnapped(), t.duplicatesCollapsed(), t.rowsWritten());
    }
  }

  /**
   * {@code pal} archives, no progress (the {@code run} pipeline's ingest step).
   *
   * @param from first month, or null for the earliest archive
   * @param to last month, or null for the latest archive
   */
  public static Result nyisoArchives(SparkSession spark, NowcastConfig config, String dir, YearMonth from,
      YearMonth to) {
    return nyisoArchives(spark, config, NyisoFeed.PAL, dir, from, to, IngestProgress.NONE);
  }

  /**
   * The archives {@code YYYYMM01<feed>_csv.zip} in {@code dir} for months [from, to], into the data root: the
   * raw load table ({@code pal}, {@code palIntegrated}) or the ISO forecast table ({@code isolf}).
   */
  public static Result nyisoArchives(SparkSession spark, NowcastConfig config, NyisoFeed feed, String dir,
      YearMonth from, YearMonth to, IngestProgress progress) {
    List<String> archives = listArchives(spark, feed, dir, from, to);
    IngestReport report = feed == NyisoFeed.ISOLF
        ? new NyisoIsolfIngest().run(spark, archives, config.dataRoot(), progress)
        : new NyisoPalArchiveIngest(feed).run(spark, archives, config.dataRoot(), progress);
    return new Result(archives, report);
  }

  /**
   * Records the report in the run when tracking is on: metrics {@code rows_parsed}, {@code rows_written},
   * {@code rows_quarantined}, {@code files}, {@code retries}, {@code seconds}, the {@code ingest.source}
   * param, and the report JSON as the artifact {@code ingest/report.json}.
   */
  public static void logReport(RunTracker run, IngestReport report) {
    if (!run.isTracking()) {
      return;
    }
    var totals = report.totals();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rows_parsed", (double) totals.rowsParsed());
    metrics.put("rows_written", (double) totals.rowsWritten());
    metrics.put("rows_quarantined", (double) totals.quarantined());
    metrics.put("files", (double) report.files().size());
    metrics.put("retries", (double) report.retries());
    metrics.put("seconds", report.elapsed().toMillis() / 1000.0);
    run.logParams(Map.of("ingest.source", report.source()));
    run.logMetrics(metrics);
    java.nio.file.Path dir = null;
    try {
      dir = Files.createTempDirectory("nowcast-ingest-report-");
      java.nio.file.Path json = dir.resolve(REPORT_ARTIFACT_NAME);
      Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
      run.logArtifact(json, REPORT_ARTIFACT_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ingest report for MLflow", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(java.nio.file.Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (java.nio.file.Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  /** {@code pal} archive paths in {@code dir} whose month is within [from, to], sorted by month. */
  static List<String> listArchives(SparkSession spark, String dir, YearMonth from, YearMonth to) {
    return listArchives(spark, NyisoFeed.PAL, dir, from, to);
  }

  /** Archive paths of {@code feed} in {@code dir} whose month is within [from, to], sorted by month. */
  static List<String> listArchives(SparkSession spark, NyisoFeed feed, String dir, YearMonth from, YearMonth to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    try {
      Path folder = new Path(dir);
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(folder)) {
        throw new IllegalArgumentException("archive folder not found: " + dir);
      }
      List<String> found = new ArrayList<>();
      for (FileStatus status : fs.listStatus(folder)) {
        Optional<YearMonth> month = feed.monthOfArchive(status.getPath().getName());
        if (status.isFile() && month.isPresent()
            && (from == null || !month.get().isBefore(from)) && (to == null || !month.get().isAfter(to))) {
          found.add(status.getPath().toString());
        }
      }
      found.sort(null);
      if (found.isEmpty()) {
        throw new IllegalArgumentException("no NYISO archives YYYYMM01" + feed.folder() + "_csv.zip in " + dir
            + (from != null || to != null ? " for months " + from + " .. " + to : ""));
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
