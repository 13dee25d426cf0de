package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.nowcast.ingest.report.FileReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-file counts of a weather ingest, gathered with small aggregations (a row per file and kind, never the
 * data) and turned into {@link FileReport}s. Load-only fields of the report ({@code emptyLoadRows},
 * {@code offGridSnapped}, {@code supersededByExisting}) are 0: a weather run replaces its station-years whole.
 */
final class WeatherFileCounts {
  record FileKey(String container, String file) {}

  private static final class Counts {
    String day;
    long accepted;
    long skipped;
    long kept;
    final Map<String, Long> reasons = new TreeMap<>();
  }

  private final Map<FileKey, Counts> files = new HashMap<>();
  private long existingRowsKept;

  /** The first action of a run: parses every file, so a damaged one fails here, before anything is written. */
  static WeatherFileCounts ofParsed(Dataset<Row> parsed) {
    List<Row> groups =
        parsed
            .groupBy(
                WeatherParseFunction.CONTAINER,
                WeatherParseFunction.FILE,
                WeatherParseFunction.DAY,
                WeatherParseFunction.KIND,
                WeatherParseFunction.REASON)
            .agg(
                count(lit(1)).as("n"),
                coalesce(sum(WeatherParseFunction.SKIPPED), lit(0L)).as("skipped"))
            .collectAsList();
    WeatherFileCounts counts = new WeatherFileCounts();
    for (Row g : groups) {
      Counts c = counts.of(g.getAs(WeatherParseFunction.CONTAINER), g.getAs(WeatherParseFunction.FILE));
      c.day = g.getAs(WeatherParseFunction.DAY);
      long n = g.getAs("n");
      switch ((String) g.getAs(WeatherParseFunction.KIND)) {
        case WeatherParseFunction.KIND_ROW -> c.accepted += n;
        case WeatherParseFunction.KIND_QUARANTINE ->
            c.reasons.merge(g.getAs(WeatherParseFunction.REASON), n, Long::sum);
        default -> c.skipped += g.<Long>getAs("skipped");
      }
    }
    return counts;
  }

  /** Counts the rows per file left after collapsing duplicates. */
  void countKept(Dataset<Row> rows) {
    for (Row g : perFile(rows)) {
      of(g.getAs(WeatherParseFunction.CONTAINER), g.getAs(WeatherParseFunction.FILE)).kept = g.getAs("n");
    }
  }

  void existingRowsKept(long rows) {
    existingRowsKept = rows;
  }

  private static List<Row> perFile(Dataset<Row> rows) {
    return rows.groupBy(WeatherParseFunction.CONTAINER, WeatherParseFunction.FILE)
        .agg(count(lit(1)).as("n"))
        .collectAsList();
  }

  private Counts of(String container, String file) {
    return files.computeIfAbsent(new FileKey(container, file), k -> new Counts());
  }

  long containers() {
    return files.keySet().stream().map(FileKey::container).distinct().count();
  }

  long existingRowsKept() {
    return existingRowsKept;
  }

  long skipped() {
    return files.values().stream().mapToLong(c -> c.skipped).sum();
  }

  long quarantined() {
    return files.values().stream().flatMap(c -> c.reasons.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** Quarantine partitions ({@code day}, null for none) of the files read. */
  Set<String> days(String unknownDay) {
    Set<String> days = new TreeSet<>();
    files.values().forEach(c -> days.add(c.day == null ? unknownDay : c.day));
    return days;
  }

  /** One report per file, ordered by container and file. */
  List<FileReport> reports() {
    List<FileReport> out = new ArrayList<>();
    files.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(
            Comparator.comparing(FileKey::container).thenComparing(FileKey::file)))
        .forEach(e -> {
          Counts c = e.getValue();
          long quarantined = c.reasons.values().stream().mapToLong(Long::longValue).sum();
          out.add(new FileReport(e.getKey().container(), e.getKey().file(), c.accepted + quarantined,
              c.reasons, 0, 0, c.accepted - c.kept, 0, c.kept));
        });
    return out;
  }
}
