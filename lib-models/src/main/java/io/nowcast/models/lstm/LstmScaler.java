package io.nowcast.models.lstm;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Standardises the network's inputs and targets with means and standard deviations fitted on the
 * training sample only, and turns the network's outputs back into relative changes. One (mean, std)
 * for the whole load sequence — every step is the same quantity — one per static input and one per
 * horizon. Saved with the model (its JSON config).
 *
 * <p>Works on raw windows as laid out by {@link RawWindow}: {@code [T sequence | S static | H labels]}
 * floats, NaN where a value is null. Network input layout: the sequence is {@code [T, 2]} per window —
 * the scaled relative load and a missing flag (1 where the step is NaN, with value 0); a NaN static
 * input becomes 0, its mean.
 *
 * @param sequenceMean mean of the non-null relative loads of the sequences
 * @param sequenceStd their standard deviation (1 where it is 0)
 * @param staticMean mean of each static input
 * @param staticStd standard deviation of each static input (1 where it is 0)
 * @param targetMean mean of each horizon's relative change
 * @param targetStd its standard deviation (1 where it is 0)
 */
public record LstmScaler(
    double sequenceMean,
    double sequenceStd,
    double[] staticMean,
    double[] staticStd,
    double[] targetMean,
    double[] targetStd) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Channels per sequence step: the scaled value and the missing flag. */
  public static final int CHANNELS = 2;

  /** Fits on raw windows (NaN values skipped). */
  public static LstmScaler fit(List<float[]> windows, int lookbackSteps, int staticCount, int horizons) {
    Moments sequence = new Moments();
    Moments[] statics = moments(staticCount);
    Moments[] targets = moments(horizons);
    for (float[] raw : windows) {
      for (int t = 0; t < lookbackSteps; t++) {
        sequence.add(raw[t]);
      }
      for (int i = 0; i < staticCount; i++) {
        statics[i].add(raw[lookbackSteps + i]);
      }
      for (int h = 0; h < horizons; h++) {
        targets[h].add(raw[lookbackSteps + staticCount + h]);
      }
    }
    return new LstmScaler(sequence.mean(), sequence.std(),
        Arrays.stream(statics).mapToDouble(Moments::mean).toArray(),
        Arrays.stream(statics).mapToDouble(Moments::std).toArray(),
        Arrays.stream(targets).mapToDouble(Moments::mean).toArray(),
        Arrays.stream(targets).mapToDouble(Moments::std).toArray());
  }

  /**
   * Writes the network inputs of {@code raw}: its sequence ({@code lookbackSteps × 2} floats) at
   * {@code sequences[sequenceOffset …]} and its static inputs at {@code statics[staticOffset …]}.
   */
  public void encodeInputs(float[] raw, int lookbackSteps, float[] sequences, int sequenceOffset,
      float[] statics, int staticOffset) {
    for (int t = 0; t < lookbackSteps; t++) {
      int at = sequenceOffset + t * CHANNELS;
      float value = raw[t];
      boolean missing = Float.isNaN(value);
      sequences[at] = missing ? 0f : (float) ((value - sequenceMean) / sequenceStd);
      sequences[at + 1] = missing ? 1f : 0f;
    }
    for (int i = 0; i < staticMean.length; i++) {
      float value = raw[lookbackSteps + i];
      statics[staticOffset + i] =
          Float.isNaN(value) ? 0f : (float) ((value - staticMean[i]) / staticStd[i]);
    }
  }

  /** Writes the scaled labels of {@code raw} at {@code out[offset …]}. */
  public void encodeTargets(float[] raw, int lookbackSteps, float[] out, int offset) {
    int first = lookbackSteps + staticMean.length;
    for (int h = 0; h < targetMean.length; h++) {
      out[offset + h] = (float) ((raw[first + h] - targetMean[h]) / targetStd[h]);
    }
  }

  /** The relative change of horizon index {@code h} from the network's output {@code scaled}. */
  public double decodeTarget(int h, float scaled) {
    return scaled * targetStd[h] + targetMean[h];
  }

  private static Moments[] moments(int n) {
    Moments[] out = new Moments[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Moments();
    }
    return out;
  }

  /** Welford's running mean and variance (numerically safe for values far from 0). */
  private static final class Moments {
    private long n;
    private double mean;
    private double m2;

    void add(float value) {
      if (Float.isNaN(value) || Float.isInfinite(value)) {
        return;
      }
      n++;
      double delta = value - mean;
      mean += delta / n;
      m2 += delta * (value - mean);
    }

    double mean() {
      return n == 0 ? 0 : mean;
    }

    double std() {
      double std = n < 2 ? 0 : Math.sqrt(m2 / (n - 1));
      return std > 1e-12 ? std : 1;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LstmScaler s
        && Double.compare(sequenceMean, s.sequenceMean) == 0
        && Double.compare(sequenceStd, s.sequenceStd) == 0
        && Arrays.equals(staticMean, s.staticMean) && Arrays.equals(staticStd, s.staticStd)
        && Arrays.equals(targetMean, s.targetMean) && Arrays.equals(targetStd, s.targetStd);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(sequenceMean) + 31 * Arrays.hashCode(staticMean)
        + 17 * Arrays.hashCode(targetMean);
  }

  @Override
  public String toString() {
    return "LstmScaler[sequence=" + sequenceMean + "±" + sequenceStd + ", statics=" + staticMean.length
        + ", targets=" + Arrays.toString(targetMean) + "±" + Arrays.toString(targetStd) + "]";
  }
}
