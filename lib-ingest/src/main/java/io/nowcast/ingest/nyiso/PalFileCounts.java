package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.report.FileReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-file counts of an ingest run, gathered with small aggregations (one result row per file and kind, never
 * the data itself) and turned into {@link FileReport}s.
 */
final class PalFileCounts {
  /** Identifies a source file: the archive it came from and its name inside. */
  record FileKey(String archive, String file) {}

  private static final class Counts {
    String day;
    long accepted;
    long emptyLoad;
    long offGrid;
    long kept;
    long written;
    final Map<String, Long> reasons = new TreeMap<>();
  }

  private final Map<FileKey, Counts> files = new HashMap<>();
  private long existingRowsKept;

  /**
   * Reads the parse output once: files, accepted rows, empty loads, off-grid stamps and quarantine reasons.
   * This is the first action of a run, so a damaged archive fails here, before anything is written.
   */
  static PalFileCounts ofParsed(Dataset<Row> parsed, long stepS) {
    Column isRow = col(PalParseFunction.KIND).equalTo(PalParseFunction.KIND_ROW);
    List<Row> groups =
        parsed
            .groupBy(
                PalParseFunction.ARCHIVE,
                PalParseFunction.FILE,
                PalParseFunction.FILE_DAY,
                PalParseFunction.KIND,
                PalParseFunction.REASON)
            .agg(
                count(lit(1)).as("n"),
                count(when(isRow.and(col(PalParseFunction.LOAD_MW).isNull()), 1)).as("empty"),
                count(when(isRow.and(IntervalGrid.offGrid(col(PalParseFunction.TS_S), stepS)), 1)).as("off_grid"))
            .collectAsList();
    PalFileCounts counts = new PalFileCounts();
    for (Row g : groups) {
      Counts c = counts.of(g.getAs(PalParseFunction.ARCHIVE), g.getAs(PalParseFunction.FILE));
      c.day = g.getAs(PalParseFunction.FILE_DAY);
      long n = g.getAs("n");
      switch ((String) g.getAs(PalParseFunction.KIND)) {
        case PalParseFunction.KIND_ROW -> {
          c.accepted += n;
          c.emptyLoad += g.<Long>getAs("empty");
          c.offGrid += g.<Long>getAs("off_grid");
        }
        case PalParseFunction.KIND_QUARANTINE ->
            c.reasons.merge(g.getAs(PalParseFunction.REASON), n, Long::sum);
        default -> {} // the file marker only makes sure an empty file is listed
      }
    }
    return counts;
  }

  /**
   * Counts rows per file kept after collapsing duplicates, in one aggregation that also yields the months
   * the rows fall in.
   *
   * @param rows columns ARCHIVE, FILE and the raw load table's month
   * @return the months of {@code rows}
   */
  Set<String> countKept(Dataset<Row> rows) {
    Set<String> months = new TreeSet<>();
    List<Row> groups =
        rows.groupBy(PalParseFunction.ARCHIVE, PalParseFunction.FILE, RawLoadTable.MONTH)
            .agg(count(lit(1)).as("n"))
            .collectAsList();
    for (Row g : groups) {
      of(g.getAs(PalParseFunction.ARCHIVE), g.getAs(PalParseFunction.FILE)).kept += g.<Long>getAs("n");
      months.add(g.getAs(RawLoadTable.MONTH));
    }
    return months;
  }

  /** Records that every kept row is written (no existing rows to merge with). */
  void allKeptWritten() {
    files.values().forEach(c -> c.written = c.kept);
  }

  /** Counts rows per file in the rows to write; rows with no file are existing rows written back. */
  void countWritten(Dataset<Row> rows) {
    for (Row g : perFile(rows)) {
      String file = g.getAs(PalParseFunction.FILE);
      if (file == null) {
        existingRowsKept += g.<Long>getAs("n");
      } else {
        of(g.getAs(PalParseFunction.ARCHIVE), file).written = g.getAs("n");
      }
    }
  }

  private static List<Row> perFile(Dataset<Row> rows) {
    return rows.groupBy(PalParseFunction.ARCHIVE, PalParseFunction.FILE)
        .agg(count(lit(1)).as("n"))
        .collectAsList();
  }

  private Counts of(String archive, String file) {
    return files.computeIfAbsent(new FileKey(archive, file), k -> new Counts());
  }

  /** Local days of the files read (files whose name has no day are not listed). */
  Set<String> days() {
    Set<String> days = new TreeSet<>();
    files.values().forEach(c -> {
      if (c.day != null) {
        days.add(c.day);
      }
    });
    return days;
  }

  /** Days with at least one quarantined line ({@code unknownDay} for files without a day). */
  Set<String> daysWithQuarantine(String unknownDay) {
    Set<String> days = new LinkedHashSet<>();
    files.values().stream()
        .filter(c -> !c.reasons.isEmpty())
        .forEach(c -> days.add(c.day == null ? unknownDay : c.day));
    return days;
  }

  long archives() {
    return files.keySet().stream().map(FileKey::archive).distinct().count();
  }

  long existingRowsKept() {
    return existingRowsKept;
  }

  /** One report per file, ordered by archive and file name. */
  List<FileReport> reports() {
    List<FileReport> out = new ArrayList<>();
    files.entrySet().stream()
        .sorted(
            Map.Entry.comparingByKey(
                Comparator.comparing(FileKey::archive).thenComparing(FileKey::file)))
        .forEach(
            e -> {
              Counts c = e.getValue();
              long parsed = c.accepted + c.reasons.values().stream().mapToLong(Long::longValue).sum();
              out.add(
                  new FileReport(
                      e.getKey().archive(),
                      e.getKey().file(),
                      parsed,
                      c.reasons,
                      c.emptyLoad,
                      c.offGrid,
                      c.accepted - c.kept,
                      c.kept - c.written,
                      c.written));
            });
    return out;
  }
}
