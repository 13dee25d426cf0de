package io.nowcast.ingest.progress;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Progress of a parse that runs in Spark tasks: the parse function adds to two accumulators (inputs and rows
 * parsed) and a driver thread reports them every second. Accumulators reach the driver as tasks finish, one
 * task per input here, so the count moves input by input. For progress only: a recomputed task could count
 * twice, which is why the report's numbers come from the data, never from these.
 */
public final class SparkParseProgress implements AutoCloseable {
  private final LongAccumulator inputs;
  private final LongAccumulator rows;
  private final ScheduledExecutorService poller;
  private final IngestProgress progress;
  private final long total;
  private final String unit;

  /**
   * @param total inputs the parse will read
   * @param unit what an input is, plural (e.g. {@code "archives"})
   */
  public SparkParseProgress(SparkSession spark, IngestProgress progress, long total, String unit) {
    this.inputs = spark.sparkContext().longAccumulator("ingest inputs parsed");
    this.rows = spark.sparkContext().longAccumulator("ingest rows parsed");
    this.progress = progress;
    this.total = total;
    this.unit = unit;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-progress");
      t.setDaemon(true);
      return t;
    });
    if (progress != IngestProgress.NONE) {
      poller.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** The counter the parse function adds 1 to per input parsed. */
  public LongAccumulator inputs() {
    return inputs;
  }

  /** The counter the parse function adds the rows of each input to. */
  public LongAccumulator rows() {
    return rows;
  }

  private void report() {
    progress.update(Math.min(inputs.value(), total), total, unit, rows.value(), 0);
  }

  /** Reports the parse as complete (call after the action that parsed everything succeeded). */
  public void finish() {
    poller.shutdownNow();
    progress.update(total, total, unit, rows.value(), 0);
  }

  /** Stops polling (without a final line when {@link #finish} was not reached: the parse failed). */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}
