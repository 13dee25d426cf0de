package io.nowcast.ingest.nyiso;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything read from one daily {@code isolf} CSV: a row per zone value of each accepted line, and the
 * rejected lines. Every non-blank line after the header is either accepted (all its values are rows) or
 * quarantined whole.
 *
 * @param file the daily file name
 * @param issueDate the New York day in the file's name
 * @param rows accepted values, in file order
 * @param quarantined rejected lines, in file order
 */
public record IsolfParseResult(
    String file, LocalDate issueDate, List<IsolfRow> rows, List<QuarantinedLine> quarantined) {
  public IsolfParseResult {
    rows = List.copyOf(rows);
    quarantined = List.copyOf(quarantined);
  }
}
