package io.nowcast.ingest.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The account of one ingest run of one source: per file what was read, quarantined, snapped, collapsed and
 * written, so that nothing is dropped without a number saying so. Shared by all source adapters; printed by
 * the CLI ({@link #toTable()}) and logged to MLflow as an artifact ({@link #toJson()}).
 *
 * @param source the source tag written to the raw table (e.g. {@code nyiso-pal})
 * @param ingestedAt the run's {@code ingested_at} stamp
 * @param archivesRead input files opened (archives, or bare files)
 * @param files one entry per source file, in a stable order
 * @param existingRowsKept rows already in the rewritten partitions, outside the days this run covers, and
 *     written back unchanged
 * @param elapsed wall time of the run
 * @param retries HTTP retries the run needed (counted by the source's {@code HttpFetcher}; 0 for files)
 */
public record IngestReport(
    String source,
    Instant ingestedAt,
    long archivesRead,
    List<FileReport> files,
    long existingRowsKept,
    Duration elapsed,
    long retries) {

  public IngestReport {
    files = List.copyOf(files);
  }

  /** A report of a run that made no HTTP requests (archives, local files). */
  public IngestReport(String source, Instant ingestedAt, long archivesRead, List<FileReport> files,
      long existingRowsKept, Duration elapsed) {
    this(source, ingestedAt, archivesRead, files, existingRowsKept, elapsed, 0);
  }

  /** This report with the HTTP retries of the fetches that produced its files. */
  public IngestReport withRetries(long httpRetries) {
    return new IngestReport(source, ingestedAt, archivesRead, files, existingRowsKept, elapsed, httpRetries);
  }

  /** All files summed into one entry (archive and file {@code null}). */
  public FileReport totals() {
    Map<String, Long> reasons = new TreeMap<>();
    files.forEach(f -> f.quarantinedByReason().forEach((r, n) -> reasons.merge(r, n, Long::sum)));
    return new FileReport(
        null,
        null,
        sum(FileReport::rowsParsed),
        reasons,
        sum(FileReport::emptyLoadRows),
        sum(FileReport::offGridSnapped),
        sum(FileReport::duplicatesCollapsed),
        sum(FileReport::supersededByExisting),
        sum(FileReport::rowsWritten));
  }

  /** Rows in the written partitions: this run's rows plus the existing rows kept. */
  public long rowsInWrittenPartitions() {
    return totals().rowsWritten() + existingRowsKept;
  }

  private long sum(java.util.function.ToLongFunction<FileReport> field) {
    return files.stream().mapToLong(field).sum();
  }

  /** A fixed-width table, one line per file, a totals line, then quarantine reasons. */
  public String toTable() {
    String format = "%-32s %10s %11s %10s %9s %10s %11s %10s%n";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "ingest %s at %s: %d archive(s), %d file(s), %.1f s, %d HTTP retries%n",
            source, ingestedAt, archivesRead, files.size(), elapsed.toMillis() / 1000.0, retries));
    out.append(
        String.format(
            format,
            "file",
            "parsed",
            "quarantined",
            "empty_load",
            "snapped",
            "collapsed",
            "superseded",
            "written"));
    for (FileReport f : files) {
      appendRow(out, format, f.file(), f);
    }
    FileReport t = totals();
    appendRow(out, format, "TOTAL", t);
    out.append(String.format("existing rows kept in rewritten partitions: %d%n", existingRowsKept));
    if (t.quarantinedByReason().isEmpty()) {
      out.append(String.format("quarantined: none%n"));
    } else {
      t.quarantinedByReason().forEach((r, n) -> out.append(String.format("quarantined %-50s %10d%n", r, n)));
    }
    return out.toString();
  }

  private static void appendRow(StringBuilder out, String format, String label, FileReport f) {
    out.append(
        String.format(
            format,
            label,
            f.rowsParsed(),
            f.quarantined(),
            f.emptyLoadRows(),
            f.offGridSnapped(),
            f.duplicatesCollapsed(),
            f.supersededByExisting(),
            f.rowsWritten()));
  }

  /** The report as one JSON object (totals first, then files). */
  public String toJson() {
    StringBuilder out = new StringBuilder("{");
    out.append("\"source\":").append(JsonText.quote(source));
    out.append(",\"ingested_at\":").append(JsonText.quote(String.valueOf(ingestedAt)));
    out.append(",\"elapsed_s\":").append(elapsed.toMillis() / 1000.0);
    out.append(",\"archives_read\":").append(archivesRead);
    out.append(",\"files_read\":").append(files.size());
    out.append(",\"existing_rows_kept\":").append(existingRowsKept);
    out.append(",\"retries\":").append(retries);
    out.append(",\"totals\":").append(json(totals()));
    out.append(",\"files\":[");
    out.append(files.stream().map(IngestReport::json).collect(Collectors.joining(",")));
    return out.append("]}").toString();
  }

  private static String json(FileReport f) {
    String reasons =
        f.quarantinedByReason().entrySet().stream()
            .map(e -> JsonText.quote(e.getKey()) + ":" + e.getValue())
            .collect(Collectors.joining(",", "{", "}"));
    StringBuilder out = new StringBuilder("{");
    if (f.archive() != null) {
      out.append("\"archive\":").append(JsonText.quote(f.archive())).append(',');
    }
    if (f.file() != null) {
      out.append("\"file\":").append(JsonText.quote(f.file())).append(',');
    }
    return out.append("\"rows_parsed\":").append(f.rowsParsed())
        .append(",\"quarantined\":").append(f.quarantined())
        .append(",\"quarantined_by_reason\":").append(reasons)
        .append(",\"empty_load_rows\":").append(f.emptyLoadRows())
        .append(",\"off_grid_snapped\":").append(f.offGridSnapped())
        .append(",\"duplicates_collapsed\":").append(f.duplicatesCollapsed())
        .append(",\"superseded_by_existing\":").append(f.supersededByExisting())
        .append(",\"rows_written\":").append(f.rowsWritten())
        .append('}')
        .toString();
  }
}
