package io.nowcast.models.lstm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network: an LSTM over the lookback sequence ({@code [batch, T, 2]}: scaled relative load and
 * missing flag), whose last hidden state is joined with the static inputs ({@code [batch, S]}) and
 * mapped by a dense head (one hidden ReLU layer) to one output per horizon — one network for all
 * horizons. Inputs: {@code NDList(sequence, static)}.
 */
final class LstmBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int hidden;
  private final int outputs;
  private final LSTM lstm;
  private final SequentialBlock head;

  LstmBlock(int hidden, int layers, int outputs) {
    super(VERSION);
    this.hidden = hidden;
    this.outputs = outputs;
    this.lstm = addChildBlock("lstm", LSTM.builder()
        .setStateSize(hidden)
        .setNumLayers(layers)
        .optBatchFirst(true)
        .optReturnState(false)
        .build());
    this.head = addChildBlock("head", new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(outputs).build()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray states = lstm.forward(store, new NDList(inputs.get(0)), training).head();
    NDArray last = states.get(":, -1, :");
    NDArray joined = last.concat(inputs.get(1), 1);
    return head.forward(store, new NDList(joined), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    lstm.initialize(manager, dataType, inputShapes[0]);
    head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), hidden + inputShapes[1].get(1)));
  }
}
