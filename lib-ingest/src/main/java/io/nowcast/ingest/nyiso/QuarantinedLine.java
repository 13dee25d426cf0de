package io.nowcast.ingest.nyiso;

/**
 * A line of a source file that could not be turned into a row, kept with the reason so that nothing is
 * dropped silently.
 *
 * @param file the daily file it came from
 * @param line 1-based line number in that file
 * @param reason why it was rejected (short and categorical, e.g. {@code non-numeric load}, so that reports
 *     can group by it; the offending value is in {@code raw})
 * @param raw the line as read
 */
public record QuarantinedLine(String file, long line, String reason, String raw) {}
