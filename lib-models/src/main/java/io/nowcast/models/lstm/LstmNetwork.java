package io.nowcast.models.lstm;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A live network: a DJL {@link Model} holding an {@link LstmBlock}, on one device. Created fresh for
 * training or from saved parameter bytes for inference; always closed (try-with-resources), which
 * frees its native memory.
 */
final class LstmNetwork implements AutoCloseable {
  private final Model model;
  private final LstmBlock block;
  private final int lookbackSteps;
  private final int staticCount;
  private boolean closed;

  private LstmNetwork(Model model, LstmBlock block, int lookbackSteps, int staticCount) {
    this.model = model;
    this.block = block;
    this.lookbackSteps = lookbackSteps;
    this.staticCount = staticCount;
  }

  /** An untrained network (its trainer initialises the parameters). */
  static LstmNetwork create(LstmShape shape, Device device) {
    Model model = Model.newInstance("lstm", device, DjlRuntime.engine().getEngineName());
    LstmBlock block = new LstmBlock(shape.hidden(), shape.layers(), shape.outputs());
    model.setBlock(block);
    return new LstmNetwork(model, block, shape.lookbackSteps(), shape.staticCount());
  }

  /** A trained network from {@link #parameters()} bytes. */
  static LstmNetwork load(LstmShape shape, byte[] parameters, Device device) {
    LstmNetwork network = create(shape, device);
    try {
      network.block.initialize(network.model.getNDManager(), DataType.FLOAT32,
          new Shape(1, shape.lookbackSteps(), LstmScaler.CHANNELS), new Shape(1, shape.staticCount()));
      network.block.loadParameters(network.model.getNDManager(),
          new DataInputStream(new ByteArrayInputStream(parameters)));
    } catch (IOException | MalformedModelException e) {
      network.close();
      throw new IllegalStateException("cannot read the LSTM parameters: " + e.getMessage(), e);
    }
    return network;
  }

  Model model() {
    return model;
  }

  /** The parameters as bytes (DJL's own parameter format). */
  byte[] parameters() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The network's (scaled) outputs for {@code n} windows: {@code sequences} is {@code [n, T, 2]} and
   * {@code statics} {@code [n, S]}, flattened row-major; the result is {@code [n, outputs]} flattened.
   */
  float[] forward(float[] sequences, float[] statics, int n) {
    try (NDManager batch = model.getNDManager().newSubManager()) {
      NDArray sequence = batch.create(sequences, new Shape(n, lookbackSteps, LstmScaler.CHANNELS));
      NDArray statik = batch.create(statics, new Shape(n, staticCount));
      NDList out = block.forward(new ParameterStore(batch, false), new NDList(sequence, statik), false);
      return out.head().toFloatArray();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }
}
