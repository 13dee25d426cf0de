package io.nowcast.models.lstm;

import ai.djl.Device;
import java.util.List;

/**
 * Forecasts in megawatts from raw windows with one loaded network: scales the inputs, runs the
 * network in batches and turns its outputs into {@code load_now × (1 + relative change)}. One per
 * partition on executors (loading is the expensive part), one on the driver in tests.
 */
final class LstmScorer implements AutoCloseable {
  private final LstmMeta meta;
  private final LstmNetwork network;

  LstmScorer(LstmMeta meta, byte[] parameters, Device device) {
    this.meta = meta;
    this.network = LstmNetwork.load(meta.shape(), parameters, device);
  }

  /**
   * Forecasts (MW) of the windows {@code raws} (without labels), one row per window and one column
   * per horizon; a window whose load at issue time is not positive gets NaN.
   */
  double[][] forecast(List<float[]> raws, double[] loadNow, int batchSize) {
    LstmShape shape = meta.shape();
    int t = shape.lookbackSteps();
    int s = shape.staticCount();
    int h = shape.outputs();
    double[][] out = new double[raws.size()][h];
    for (int start = 0; start < raws.size(); start += batchSize) {
      int n = Math.min(batchSize, raws.size() - start);
      float[] sequences = new float[n * t * LstmScaler.CHANNELS];
      float[] statics = new float[n * s];
      for (int i = 0; i < n; i++) {
        meta.scaler().encodeInputs(raws.get(start + i), t, sequences, i * t * LstmScaler.CHANNELS,
            statics, i * s);
      }
      float[] scaled = network.forward(sequences, statics, n);
      for (int i = 0; i < n; i++) {
        double load = loadNow[start + i];
        for (int k = 0; k < h; k++) {
          out[start + i][k] = load > 0
              ? load * (1 + meta.scaler().decodeTarget(k, scaled[i * h + k])) : Double.NaN;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    network.close();
  }
}
