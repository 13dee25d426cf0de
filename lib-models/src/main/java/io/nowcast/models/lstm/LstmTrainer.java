package io.nowcast.models.lstm;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the LSTM on the driver from a bounded sample of windows drawn with Spark.
 *
 * <p>Sampling: issue times with a load and every target are sampled (Bernoulli, seeded) down to
 * {@code lstm.max_windows}; their windows — sequence, static inputs, labels, all Spark expressions
 * ({@link LstmWindows}) over the whole input so lookbacks reach across the sample — are joined to the
 * sampled keys and streamed to the driver in issue-time order. Nothing else is collected.
 *
 * <p>Training: the latest {@code lstm.validation_fraction} of the sample (by issue time, never
 * random) is held out; the scaler is fitted on the rest; Adam on the mean squared error of the
 * scaled relative changes of all horizons at once; after each epoch the validation loss decides
 * which parameters to keep. The loop stops after {@code lstm.epochs} or at the first batch past
 * {@code lstm.time_budget_s}, and {@link LstmTrainingReport} says which.
 */
public final class LstmTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(LstmTrainer.class);

  private final LstmSettings settings;
  private final FeatureSpec spec;

  public LstmTrainer(LstmSettings settings, FeatureSpec spec) {
    this.settings = settings;
    this.spec = spec;
  }

  /** Trains on {@code features} (rows of the features table of the training period only). */
  public LstmNowcastModel train(Dataset<Row> features) {
    long samplingStarted = System.nanoTime();
    List<String> staticInputs = LstmWindows.staticInputs(spec, features);
    int t = settings.lookbackSteps();
    int s = staticInputs.size();
    int h = spec.horizons().size();

    Column eligible = col(FeatureTable.LOAD_NOW).gt(0);
    for (int horizon : spec.horizons()) {
      eligible = eligible.and(col(FeatureTable.target(horizon)).isNotNull());
    }
    long candidates = features.where(eligible).count();
    if (candidates == 0) {
      throw new IllegalArgumentException(
          "no training windows: no row of the training data has a load and every target");
    }
    double fraction = Math.min(1.0, (double) settings.maxWindows() / candidates);
    Dataset<Row> keys = features.where(eligible)
        .select(FeatureTable.REGION, FeatureTable.ISSUE_TS)
        .sample(false, fraction, settings.seed())
        .limit(settings.maxWindows());
    Dataset<Row> windows = LstmWindows.withInputs(features, spec, t, staticInputs, true)
        .join(broadcast(keys), new String[] {FeatureTable.REGION, FeatureTable.ISSUE_TS})
        .select(LstmWindows.SEQUENCE, LstmWindows.STATIC, LstmWindows.LABELS,
            FeatureTable.ISSUE_TS, FeatureTable.REGION)
        .orderBy(FeatureTable.ISSUE_TS, FeatureTable.REGION);
    List<float[]> sample = new ArrayList<>();
    for (Iterator<Row> rows = windows.toLocalIterator(); rows.hasNext(); ) {
      sample.add(RawWindow.of(rows.next(), 0, 1, 2, t, s, h));
    }
    double samplingSeconds = seconds(samplingStarted);
    if (sample.isEmpty()) {
      throw new IllegalArgumentException("no training windows were sampled from "
          + candidates + " eligible rows; raise " + LstmSettings.MAX_WINDOWS);
    }
    int validation = (int) Math.floor(sample.size() * settings.validationFraction());
    List<float[]> train = sample.subList(0, sample.size() - validation);
    List<float[]> held = sample.subList(sample.size() - validation, sample.size());
    LstmScaler scaler = LstmScaler.fit(train, t, s, h);
    LOG.info("LSTM sample: {} of {} eligible windows in {} s ({} train, {} validation), {} static inputs",
        sample.size(), candidates, String.format("%.1f", samplingSeconds), train.size(), held.size(), s);

    LstmShape shape = new LstmShape(settings.hidden(), settings.layers(), t, s, h);
    Fit fit = fit(shape, scaler, train, held);
    LstmTrainingReport report = new LstmTrainingReport(candidates, sample.size(), train.size(),
        held.size(), fit.epochsCompleted, fit.batches, fit.stoppedBy, fit.bestEpoch, fit.trainLoss,
        fit.validationLoss, samplingSeconds, fit.seconds, settings.timeBudgetSeconds(), fit.device);
    LOG.info("LSTM trained: {}", report);
    LstmMeta meta = new LstmMeta(LstmMeta.FORMAT, spec.horizons(), spec.stepMinutes(),
        spec.lagMinutes(), spec.windowMinutes(), shape, staticInputs, scaler, settings.toConfig(),
        report, Engine.getDjlVersion());
    return new LstmNowcastModel(meta, fit.parameters);
  }

  /** The outcome of the training loop. */
  private record Fit(byte[] parameters, int epochsCompleted, long batches, String stoppedBy,
      int bestEpoch, double trainLoss, Double validationLoss, double seconds, String device) {}

  private Fit fit(LstmShape shape, LstmScaler scaler, List<float[]> train, List<float[]> held) {
    int t = shape.lookbackSteps();
    int s = shape.staticCount();
    int h = shape.outputs();
    int batchSize = settings.batchSize();
    Device device = DjlRuntime.device();
    DjlRuntime.engine().setRandomSeed((int) settings.seed());
    Random random = new Random(settings.seed());
    Encoded heldOut = encode(scaler, held, t, s, h);
    long started = System.nanoTime();
    long deadline = started + (long) (settings.timeBudgetSeconds() * 1e9);
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
        .optOptimizer(Optimizer.adam()
            .optLearningRateTracker(Tracker.fixed((float) settings.learningRate())).build())
        .optDevices(new Device[] {device});
    try (LstmNetwork network = LstmNetwork.create(shape, device);
        Trainer trainer = network.model().newTrainer(config)) {
      trainer.initialize(new Shape(batchSize, t, LstmScaler.CHANNELS), new Shape(batchSize, s));
      byte[] best = null;
      double bestLoss = Double.POSITIVE_INFINITY;
      int bestEpoch = 0;
      int completed = 0;
      long batches = 0;
      double trainLoss = Double.NaN;
      String stoppedBy = LstmTrainingReport.STOPPED_BY_EPOCHS;
      int[] order = new int[train.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        shuffle(order, random);
        double lossSum = 0;
        long seen = 0;
        boolean outOfTime = false;
        for (int start = 0; start < order.length && !outOfTime; start += batchSize) {
          int n = Math.min(batchSize, order.length - start);
          Encoded batch = encode(scaler, train, order, start, n, t, s, h);
          try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList inputs = new NDList(
                scope.create(batch.sequences, new Shape(n, t, LstmScaler.CHANNELS)),
                scope.create(batch.statics, new Shape(n, s)));
            NDArray labels = scope.create(batch.targets, new Shape(n, h));
            try (GradientCollector gradients = trainer.newGradientCollector()) {
              NDList predictions = trainer.forward(inputs);
              NDArray loss = trainer.getLoss().evaluate(new NDList(labels), predictions);
              gradients.backward(loss);
              // DJL's L2 loss is half the mean squared error.
              lossSum += 2.0 * loss.getFloat() * n;
              seen += n;
            }
            trainer.step();
          }
          batches++;
          outOfTime = System.nanoTime() > deadline;
        }
        trainLoss = lossSum / Math.max(1, seen);
        if (!outOfTime) {
          completed = epoch;
        }
        double validationLoss = heldOut.n == 0 ? Double.NaN : meanSquaredError(network, heldOut, batchSize);
        LOG.info("LSTM epoch {}: train MSE {} validation MSE {} ({} s)", epoch,
            String.format("%.4f", trainLoss), String.format("%.4f", validationLoss),
            String.format("%.1f", seconds(started)));
        if (heldOut.n == 0 || validationLoss < bestLoss) {
          bestLoss = validationLoss;
          bestEpoch = epoch;
          best = network.parameters();
        }
        if (outOfTime) {
          stoppedBy = LstmTrainingReport.STOPPED_BY_TIME_BUDGET;
          break;
        }
      }
      if (best == null) {
        // Validation loss was never finite (a diverged run): keep the last parameters, say so.
        LOG.warn("LSTM validation loss was never finite; keeping the last epoch's parameters");
        best = network.parameters();
      }
      return new Fit(best, completed, batches, stoppedBy, bestEpoch, trainLoss,
          heldOut.n == 0 ? null : bestLoss, seconds(started), device.toString());
    }
  }

  /** Inputs and scaled targets of windows, in the network's layout. */
  private record Encoded(int n, float[] sequences, float[] statics, float[] targets) {}

  private static Encoded encode(LstmScaler scaler, List<float[]> windows, int t, int s, int h) {
    int[] all = new int[windows.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return encode(scaler, windows, all, 0, all.length, t, s, h);
  }

  private static Encoded encode(LstmScaler scaler, List<float[]> windows, int[] order, int start,
      int n, int t, int s, int h) {
    float[] sequences = new float[n * t * LstmScaler.CHANNELS];
    float[] statics = new float[n * s];
    float[] targets = new float[n * h];
    for (int i = 0; i < n; i++) {
      float[] raw = windows.get(order[start + i]);
      scaler.encodeInputs(raw, t, sequences, i * t * LstmScaler.CHANNELS, statics, i * s);
      scaler.encodeTargets(raw, t, targets, i * h);
    }
    return new Encoded(n, sequences, statics, targets);
  }

  private static double meanSquaredError(LstmNetwork network, Encoded data, int batchSize) {
    int t = data.sequences.length / Math.max(1, data.n) / LstmScaler.CHANNELS;
    int s = data.statics.length / Math.max(1, data.n);
    int h = data.targets.length / Math.max(1, data.n);
    double sum = 0;
    for (int start = 0; start < data.n; start += batchSize) {
      int n = Math.min(batchSize, data.n - start);
      float[] sequences = new float[n * t * LstmScaler.CHANNELS];
      float[] statics = new float[n * s];
      System.arraycopy(data.sequences, start * t * LstmScaler.CHANNELS, sequences, 0, sequences.length);
      System.arraycopy(data.statics, start * s, statics, 0, statics.length);
      float[] out = network.forward(sequences, statics, n);
      for (int i = 0; i < n * h; i++) {
        double error = out[i] - data.targets[start * h + i];
        sum += error * error;
      }
    }
    return sum / ((double) data.n * h);
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
