package io.nowcast.models.lstm;

import java.io.Serializable;

/**
 * The network's dimensions: what rebuilds the same {@link LstmBlock} before its parameters are
 * loaded.
 *
 * @param hidden LSTM state size and width of the dense head
 * @param layers stacked LSTM layers
 * @param lookbackSteps sequence length T
 * @param staticCount number of static inputs S
 * @param outputs one per horizon
 */
public record LstmShape(int hidden, int layers, int lookbackSteps, int staticCount, int outputs)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
