package io.nowcast.ingest.nyiso;

import java.util.List;

/**
 * Everything read from one daily {@code pal} CSV: accepted rows and quarantined lines. Every non-blank line
 * after the header is in exactly one of the two lists.
 *
 * @param file the daily file name
 * @param rows accepted rows in file order
 * @param quarantined rejected lines in file order
 */
public record NyisoPalParseResult(String file, List<NyisoPalRow> rows, List<QuarantinedLine> quarantined) {
  public NyisoPalParseResult {
    rows = List.copyOf(rows);
    quarantined = List.copyOf(quarantined);
  }

  /** Rows kept with a {@code null} load because NYISO published an empty value. */
  public long emptyLoadRows() {
    return rows.stream().filter(r -> r.loadMw() == null).count();
  }

  /** Data lines read: accepted plus quarantined. */
  public long linesRead() {
    return rows.size() + quarantined.size();
  }
}
