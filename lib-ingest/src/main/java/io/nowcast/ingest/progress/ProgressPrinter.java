package io.nowcast.ingest.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints progress lines ({@code nyiso-pal: days 12/31, rows 41,280, retries 1}) at a bounded rate: the first
 * update, then at most one line per interval when something changed (and a heartbeat every
 * {@value #HEARTBEAT_INTERVALS} intervals when nothing did, so a long Spark stage still shows it is alive), and
 * always the last unit's; a short run prints a line or two, never one per row. Thread-safe.
 */
public final class ProgressPrinter implements IngestProgress {
  static final int HEARTBEAT_INTERVALS = 15;

  private final PrintStream out;
  private final String label;
  private final long intervalNanos;
  private final LongSupplier clock;
  private long lastPrinted = Long.MIN_VALUE;
  private long linesPrinted;
  private boolean finalPrinted;
  private String lastLine = "";

  /** Prints to {@code out} (the CLI: stderr, keeping stdout for results), at most once per {@code interval}. */
  public ProgressPrinter(PrintStream out, String label, Duration interval) {
    this(out, label, interval, System::nanoTime);
  }

  ProgressPrinter(PrintStream out, String label, Duration interval, LongSupplier nanoClock) {
    this.out = out;
    this.label = label;
    this.intervalNanos = interval.toNanos();
    this.clock = nanoClock;
  }

  @Override
  public synchronized void update(long done, long total, String unit, long rows, long retries) {
    long now = clock.getAsLong();
    boolean last = total > 0 && done >= total;
    String line =
        String.format(Locale.ROOT, "%s: %s %d/%d, rows %,d, retries %d", label, unit, done, total, rows, retries);
    long since = now - lastPrinted;
    boolean due = lastPrinted == Long.MIN_VALUE
        || (since >= intervalNanos && !line.equals(lastLine))
        || since >= HEARTBEAT_INTERVALS * intervalNanos;
    if ((last && !finalPrinted) || (due && !last)) {
      out.println(line);
      out.flush();
      lastLine = line;
      lastPrinted = now;
      linesPrinted++;
      finalPrinted |= last;
    }
  }

  /** Lines printed so far. */
  public synchronized long linesPrinted() {
    return linesPrinted;
  }
}
