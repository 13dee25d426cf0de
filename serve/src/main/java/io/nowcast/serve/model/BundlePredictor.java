package io.nowcast.serve.model;

import io.nowcast.models.tracking.NowcastBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The boosters of one bundle, loaded natively (XGBoost4J, no Spark), turning input rows into quantile
 * forecasts of the relative change. Safe for concurrent calls: XGBoost's prediction on a loaded booster
 * is thread-safe, and each call builds and frees its own DMatrix.
 */
public final class BundlePredictor implements AutoCloseable {
  private final NowcastBundle bundle;
  private final List<Booster> boosters;
  // For booster b and its output o: the index of that level in levels(), or -1 when unused.
  private final int[][] outputSlot;
  private final double[] levels;
  private final CalibratedBands bands;

  private BundlePredictor(NowcastBundle bundle, List<Booster> boosters) {
    this.bundle = bundle;
    this.boosters = boosters;
    this.levels = bundle.quantiles().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    this.bands = new CalibratedBands(bundle, levels);
    this.outputSlot = new int[boosters.size()][];
    for (int b = 0; b < boosters.size(); b++) {
      List<Double> outputs = bundle.boosters().get(b).outputs();
      outputSlot[b] = new int[outputs.size()];
      for (int o = 0; o < outputs.size(); o++) {
        outputSlot[b][o] = Arrays.binarySearch(levels, outputs.get(o));
      }
    }
  }

  /**
   * Loads the bundle in {@code dir}.
   *
   * @param threads XGBoost threads per prediction; 1 suits a server where requests already run in
   *     parallel and most are a few rows
   */
  public static BundlePredictor load(Path dir, int threads) {
    NowcastBundle bundle = ServableBundle.read(dir);
    List<Booster> boosters = new ArrayList<>();
    try {
      for (NowcastBundle.BoosterFile file : bundle.boosters()) {
        Booster booster = XGBoost.loadModel(dir.resolve(file.file()).toString());
        boosters.add(booster);
        booster.setParam("nthread", threads);
      }
    } catch (XGBoostError | RuntimeException e) {
      boosters.forEach(Booster::dispose);
      throw new InvalidBundleException("cannot load the boosters of " + dir + ": " + e.getMessage(), e);
    }
    return new BundlePredictor(bundle, boosters);
  }

  public NowcastBundle bundle() {
    return bundle;
  }

  /** The bundle's interval calibration, for callers that know each row's region. */
  public CalibratedBands bands() {
    return bands;
  }

  /** The quantile levels of each output row of {@link #predict}, ascending. */
  public double[] levels() {
    return levels.clone();
  }

  /**
   * Forecasts of the relative change for {@code rows} input rows given row-major in {@code inputs}
   * ({@code rows × features().size()}, NaN = missing): one array per row, one value per level of
   * {@link #levels()}, sorted ascending so the quantiles never cross.
   */
  public double[][] predict(float[] inputs, int rows) {
    int columns = bundle.features().size();
    if (inputs.length != rows * columns) {
      throw new IllegalArgumentException(
          "expected " + rows + " × " + columns + " inputs, got " + inputs.length);
    }
    double[][] out = new double[rows][levels.length];
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(inputs, rows, columns, Float.NaN);
      for (int b = 0; b < boosters.size(); b++) {
        float[][] predicted = boosters.get(b).predict(matrix);
        for (int r = 0; r < rows; r++) {
          for (int o = 0; o < outputSlot[b].length; o++) {
            if (outputSlot[b][o] >= 0) {
              out[r][outputSlot[b][o]] = predicted[r][o];
            }
          }
        }
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
    for (double[] row : out) {
      Arrays.sort(row);
    }
    return out;
  }

  /** Frees the native boosters; call only when no prediction can still be running. */
  @Override
  public void close() {
    boosters.forEach(Booster::dispose);
  }

  /** For /v1/models: the bundle facts a client may want. */
  public Map<String, Object> describe() {
    return Map.of(
        "features", bundle.features(),
        "horizons", bundle.horizons(),
        "quantiles", bundle.quantiles(),
        "xgboost_version", bundle.xgboostVersion());
  }
}
