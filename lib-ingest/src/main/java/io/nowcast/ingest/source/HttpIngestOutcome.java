package io.nowcast.ingest.source;

import io.nowcast.ingest.report.IngestReport;
import java.util.List;

/**
 * What an HTTP ingest run did on the wire, next to what it wrote ({@link #report}).
 *
 * @param report the per-file account of parsing and writing
 * @param units the units the run covered (days for NYISO, request windows for CAISO)
 * @param fetched units fetched and landed by this run
 * @param alreadyLanded units skipped because a complete landed copy existed
 * @param notPublished units the service does not publish (404), named; nothing was written for them
 * @param retries HTTP retries the run needed
 */
public record HttpIngestOutcome(
    IngestReport report, int units, int fetched, int alreadyLanded, List<String> notPublished, long retries) {
  public HttpIngestOutcome {
    notPublished = List.copyOf(notPublished);
  }

  /** One line for logs and the CLI. */
  public String summary() {
    return String.format(
        "%s: %d unit(s): %d fetched, %d already landed, %d not published; %d retries; %d rows written",
        report.source(), units, fetched, alreadyLanded, notPublished.size(), retries,
        report.totals().rowsWritten());
  }
}
