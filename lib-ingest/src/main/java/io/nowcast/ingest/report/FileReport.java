package io.nowcast.ingest.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one ingest run did with one source file (for NYISO, one daily CSV of a monthly archive). The counts
 * add up: every data line read is quarantined or accepted, and every accepted row is written, collapsed into
 * a better row of the same interval, or superseded by a row already in the table:
 * {@code rowsParsed = quarantined() + rowsWritten + duplicatesCollapsed + supersededByExisting}.
 *
 * @param archive the container the file came from (archive path or URL); {@code null} for a bare file
 * @param file the file name (e.g. {@code 20191103pal.csv})
 * @param rowsParsed data lines read (header and blank lines excluded)
 * @param quarantinedByReason quarantined lines per reason, sorted by reason
 * @param emptyLoadRows accepted rows whose load was published empty (kept with a null load)
 * @param offGridSnapped accepted rows whose time was not on the interval grid and was snapped to it
 * @param duplicatesCollapsed accepted rows dropped because another row of the same region and interval was
 *     closer to the grid point
 * @param supersededByExisting accepted rows dropped because the table already holds that region and interval
 *     from a file that owns it (see the ingest's merge rule)
 * @param rowsWritten rows of this file in the written table
 */
public record FileReport(
    String archive,
    String file,
    long rowsParsed,
    Map<String, Long> quarantinedByReason,
    long emptyLoadRows,
    long offGridSnapped,
    long duplicatesCollapsed,
    long supersededByExisting,
    long rowsWritten) {

  public FileReport {
    quarantinedByReason = Map.copyOf(new TreeMap<>(quarantinedByReason));
  }

  /** Quarantined lines, all reasons. */
  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Accepted rows: parsed minus quarantined. */
  public long accepted() {
    return rowsParsed - quarantined();
  }

  /** Whether the counts add up (see the class comment); a false here is a bug in the ingest. */
  public boolean balanced() {
    return rowsParsed == quarantined() + rowsWritten + duplicatesCollapsed + supersededByExisting;
  }
}
