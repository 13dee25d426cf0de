package io.nowcast.models.lstm;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One window's values as read from a Spark row, unscaled: {@code [T sequence | S static | H labels]}
 * floats, NaN where Spark has a null. The one conversion from rows, shared by training and inference
 * so both feed the network the same numbers.
 */
final class RawWindow {
  private RawWindow() {}

  /**
   * The raw values of {@code row}'s {@link LstmWindows} arrays at the given field indexes; {@code
   * labelsIndex < 0} leaves the labels out.
   */
  static float[] of(Row row, int sequenceIndex, int staticIndex, int labelsIndex, int lookbackSteps,
      int staticCount, int horizons) {
    float[] raw = new float[lookbackSteps + staticCount + (labelsIndex < 0 ? 0 : horizons)];
    copy(row.getList(sequenceIndex), raw, 0, lookbackSteps);
    copy(row.getList(staticIndex), raw, lookbackSteps, staticCount);
    if (labelsIndex >= 0) {
      copy(row.getList(labelsIndex), raw, lookbackSteps + staticCount, horizons);
    }
    return raw;
  }

  private static void copy(List<Object> values, float[] out, int offset, int expected) {
    if (values.size() != expected) {
      throw new IllegalStateException(
          "an LSTM input array has " + values.size() + " values, the model expects " + expected);
    }
    for (int i = 0; i < expected; i++) {
      Object value = values.get(i);
      out[offset + i] = value == null ? Float.NaN : ((Number) value).floatValue();
    }
  }
}
