package io.nowcast.models.lstm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The inference step of {@link LstmNowcastModel#predict}: per partition, loads the network once (not
 * per row), reads rows in batches, and emits each row's first {@code keep} values followed by one
 * forecast (MW, null where none) per horizon. The network is closed when the partition is exhausted
 * or the task ends, whichever comes first. Rows stream through: at most one batch is held.
 */
final class LstmPartitionScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final LstmMeta meta;
  private final byte[] parameters;
  private final int keep;
  private final int loadIndex;
  private final int sequenceIndex;
  private final int staticIndex;
  private final int batchSize;

  LstmPartitionScorer(LstmMeta meta, byte[] parameters, int keep, int loadIndex, int sequenceIndex,
      int staticIndex, int batchSize) {
    this.meta = meta;
    this.parameters = parameters;
    this.keep = keep;
    this.loadIndex = loadIndex;
    this.sequenceIndex = sequenceIndex;
    this.staticIndex = staticIndex;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator();
    }
    LstmScorer scorer = new LstmScorer(meta, parameters, DjlRuntime.device());
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> scorer.close());
    }
    return new Iterator<>() {
      private final Deque<Row> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          scoreNextBatch();
        }
        if (ready.isEmpty()) {
          scorer.close();
          return false;
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }

      private void scoreNextBatch() {
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
          batch.add(rows.next());
        }
        LstmShape shape = meta.shape();
        List<float[]> raws = new ArrayList<>(batch.size());
        double[] loadNow = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
          Row row = batch.get(i);
          raws.add(RawWindow.of(row, sequenceIndex, staticIndex, -1, shape.lookbackSteps(),
              shape.staticCount(), shape.outputs()));
          loadNow[i] = row.isNullAt(loadIndex) ? Double.NaN : ((Number) row.get(loadIndex)).doubleValue();
        }
        double[][] forecasts = scorer.forecast(raws, loadNow, batchSize);
        for (int i = 0; i < batch.size(); i++) {
          Object[] values = new Object[keep + shape.outputs()];
          for (int c = 0; c < keep; c++) {
            values[c] = batch.get(i).get(c);
          }
          for (int k = 0; k < shape.outputs(); k++) {
            double value = forecasts[i][k];
            values[keep + k] = Double.isFinite(value) ? value : null;
          }
          ready.add(RowFactory.create(values));
        }
      }
    };
  }
}
