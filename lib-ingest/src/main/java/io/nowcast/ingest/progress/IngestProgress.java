package io.nowcast.ingest.progress;

/**
 * Receives an ingest's progress: units (days, files, archives) done of a total, rows read so far and HTTP
 * retries so far. Called often (after every unit, or every second while Spark parses); implementations
 * decide how often to show it ({@link ProgressPrinter}).
 */
@FunctionalInterface
public interface IngestProgress {
  /** Shows nothing. */
  IngestProgress NONE = (done, total, unit, rows, retries) -> {};

  /**
   * @param done units finished
   * @param total units of the run
   * @param unit what a unit is, plural ({@code "days"}, {@code "files"})
   * @param rows rows (values) read so far
   * @param retries HTTP retries so far
   */
  void update(long done, long total, String unit, long rows, long retries);
}
