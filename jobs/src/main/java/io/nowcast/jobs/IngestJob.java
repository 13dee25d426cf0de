package io.nowcast.jobs;

import io.nowcast.ingest.nyiso.NyisoPalArchiveIngest;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.jobs.config.NowcastConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Ingests NYISO {@code pal} monthly archives from a folder into the raw load table. */
public final class IngestJob {
  private static final Pattern ARCHIVE = Pattern.compile("(\\d{6})01pal_csv\\.zip");

  private IngestJob() {}

  /** The archives read and the ingest report. */
  public record Result(List<String> archives, IngestReport report) {
    /** Totals only: the per-file table has a line per day (see the JSON report for it). */
    public String summary() {
      var t = report.totals();
      return String.format(
          "ingested %d NYISO archive(s) in %.1f s: %d rows parsed, %d quarantined, %d empty loads kept as"
              + " gaps, %d off-grid stamps snapped, %d duplicates collapsed, %d rows written",
          archives.size(), report.elapsed().toMillis() / 1000.0, t.rowsParsed(), t.quarantined(),
          t.emptyLoadRows(), t.offGridSnapped(), t.duplicatesCollapsed(), t.rowsWritten());
    }
  }

  /**
   * @param from first month, or null for the earliest archive
   * @param to last month, or null for the latest archive
   */
  public static Result nyisoArchives(SparkSession spark, NowcastConfig config, String dir, YearMonth from,
      YearMonth to) {
    List<String> archives = listArchives(spark, dir, from, to);
    IngestReport report = new NyisoPalArchiveIngest().run(spark, archives, config.dataRoot());
    return new Result(archives, report);
  }

  /** Archive paths in {@code dir} whose month is within [from, to], sorted by month. */
  static List<String> listArchives(SparkSession spark, String dir, YearMonth from, YearMonth to) {
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
        Matcher name = ARCHIVE.matcher(status.getPath().getName());
        if (!status.isFile() || !name.matches()) {
          continue;
        }
        YearMonth month = YearMonth.parse(name.group(1), DateTimeFormatter.ofPattern("yyyyMM"));
        if ((from == null || !month.isBefore(from)) && (to == null || !month.isAfter(to))) {
          found.add(status.getPath().toString());
        }
      }
      found.sort(null);
      if (found.isEmpty()) {
        throw new IllegalArgumentException("no NYISO archives YYYYMM01pal_csv.zip in " + dir
            + (from != null || to != null ? " for months " + from + " .. " + to : ""));
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
