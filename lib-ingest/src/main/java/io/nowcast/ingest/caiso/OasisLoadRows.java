package io.nowcast.ingest.caiso;

import io.nowcast.ingest.report.FileReport;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns one landed OASIS answer into raw load rows (columns of {@code RawLoadTable.SCHEMA}) and its
 * {@link FileReport}. Checks OASIS's own promises, because a row breaking them would be silently wrong in
 * the table: the interval has the market's length (an {@code RTPD} 15-minute row in a 5-minute source would
 * be), starts on that grid, and lies in the window requested; one row per TAC area and interval (a repeat is
 * counted as collapsed; the first in the file stays).
 */
final class OasisLoadRows {
  static final String OUTSIDE_WINDOW = "interval outside the requested window";
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT);

  final List<Row> rows = new ArrayList<>();
  final Set<String> months = new HashSet<>();
  final List<FileReport> reports = new ArrayList<>();
  private final OasisMarket market;
  private final Instant runFrom;
  private final Instant runTo;
  private final Timestamp ingestedAt;

  /** Rows of {@code market} in {@code [runFrom, runTo)}, stamped {@code ingestedAt}. */
  OasisLoadRows(OasisMarket market, Instant runFrom, Instant runTo, Instant ingestedAt) {
    this.market = market;
    this.runFrom = runFrom;
    this.runTo = runTo;
    this.ingestedAt = Timestamp.from(ingestedAt);
  }

  /** Adds the rows of one landed answer in the run's span; requests never overlap, so neither do files. */
  void add(String landedPath, OasisRequest request, OasisParseResult parsed) {
    Instant windowFrom = request.start().atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant windowTo = request.end().atStartOfDay().toInstant(ZoneOffset.UTC);
    long stepS = market.intervalMin() * 60L;
    Map<String, Long> reasons = new TreeMap<>(parsed.quarantinedByReason());
    long parsedRows = reasons.values().stream().mapToLong(Long::longValue).sum();
    long empty = 0;
    long duplicates = 0;
    long written = 0;
    Set<String> seen = new HashSet<>();
    for (OasisRow r : parsed.rows()) {
      String reason = null;
      long minutes = Duration.between(r.start(), r.end()).toMinutes();
      if (r.start().isBefore(windowFrom) || !r.start().isBefore(windowTo)) {
        reason = OUTSIDE_WINDOW;
      } else if (r.start().isBefore(runFrom) || !r.start().isBefore(runTo)) {
        continue; // landed earlier for a wider run: not this run's span, not counted
      } else if (minutes != market.intervalMin()) {
        reason = "interval of " + minutes + " min, expected " + market.intervalMin();
      } else if (r.start().getEpochSecond() % stepS != 0) {
        reason = "interval start off the " + market.intervalMin() + "-minute grid";
      }
      parsedRows++;
      if (reason != null) {
        reasons.merge(reason, 1L, Long::sum);
        continue;
      }
      if (!seen.add(r.tacArea() + "\u0000" + r.start())) {
        duplicates++;
        continue;
      }
      if (r.mw() == null) {
        empty++;
      }
      String month = MONTH.format(r.start().atOffset(ZoneOffset.UTC));
      months.add(month);
      rows.add(RowFactory.create(r.tacArea(), Timestamp.from(r.start()), r.mw(), market.source(),
          market.intervalMin(), ingestedAt, month));
      written++;
    }
    reports.add(new FileReport(landedPath, parsed.file(), parsedRows, reasons, empty, 0, duplicates, 0, written));
  }
}
