package io.nowcast.models.tracking;

import io.nowcast.features.FeatureTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Small real boosters trained with XGBoost4J for registry and serving tests (a few hundred rows, a
 * few rounds: well under a second), plus rows to predict and bundles describing them.
 */
public final class TinyBoosters {
  /** Feature names of the tiny models, in DMatrix column order. */
  public static final List<String> FEATURES = List.of("horizon_min", "x_rel_lag_5m", "x_rel_lag_1d", "hour_sin");
  /** Quantile levels of the tiny quantile model's outputs. */
  public static final List<Double> QUANTILES = List.of(0.1, 0.5, 0.9);
  /** Horizons of the tiny models ({@code horizon_min} is an input: one booster serves them all). */
  public static final List<Integer> HORIZONS = List.of(15, 30, 45, 60);

  private TinyBoosters() {}

  /** A booster with one output per quantile ({@code reg:quantileerror}), trained on 300 rows. */
  public static Booster quantile(long seed, int rounds) {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "reg:quantileerror");
    params.put("quantile_alpha", "[0.1, 0.5, 0.9]");
    params.put("tree_method", "hist");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("seed", seed);
    params.put("nthread", 1);
    return train(params, seed, rounds);
  }

  /** A single-output squared-error booster. */
  public static Booster point(long seed, int rounds) {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "reg:squarederror");
    params.put("tree_method", "hist");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("seed", seed);
    params.put("nthread", 1);
    return train(params, seed, rounds);
  }

  /** The bundle metadata of a booster from {@link #quantile}. */
  public static NowcastBundle quantileBundle() {
    return new NowcastBundle(FEATURES, HORIZONS, QUANTILES,
        List.of(new NowcastBundle.BoosterFile(NowcastBundle.MAIN_BOOSTER, QUANTILES, HORIZONS)),
        "relative_change", FeatureTable.LOAD_NOW, 5, true, NowcastBundle.QUANTILE_OBJECTIVE, "3.4.0", List.of());
  }

  /** {@code count} rows of features (row-major), reproducible from {@code seed}; row 1 holds a NaN. */
  public static float[][] rows(long seed, int count) {
    Random random = new Random(seed);
    float[][] rows = new float[count][];
    for (int i = 0; i < count; i++) {
      rows[i] = row(random);
    }
    if (count > 1) {
      rows[1][2] = Float.NaN;
    }
    return rows;
  }

  /** Predictions of {@code booster} for {@code rows} (NaN = missing), one array of outputs per row. */
  public static float[][] predict(Booster booster, float[][] rows) {
    float[] flat = new float[rows.length * FEATURES.size()];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * FEATURES.size(), FEATURES.size());
    }
    try {
      DMatrix matrix = new DMatrix(flat, rows.length, FEATURES.size(), Float.NaN);
      try {
        return booster.predict(matrix);
      } finally {
        matrix.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException(e);
    }
  }

  /** A booster read back from a {@code model.ubj} file. */
  public static Booster load(Path modelFile) {
    try {
      return XGBoost.loadModel(Files.readAllBytes(modelFile));
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot load " + modelFile, e);
    }
  }

  /** Rows as the JSON {@code {"columns": [...], "data": [[...]]}} of MLflow's dataframe_split (NaN as null). */
  public static String dataframeSplit(float[][] rows) {
    List<List<Double>> data = new ArrayList<>();
    for (float[] row : rows) {
      List<Double> values = new ArrayList<>();
      for (float v : row) {
        values.add(Float.isNaN(v) ? null : (double) v);
      }
      data.add(values);
    }
    try {
      return MlflowHttp.JSON.writeValueAsString(Map.of("columns", FEATURES, "data", data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Booster train(Map<String, Object> params, long seed, int rounds) {
    Random random = new Random(seed);
    int n = 300;
    float[] flat = new float[n * FEATURES.size()];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      float[] row = row(random);
      System.arraycopy(row, 0, flat, i * FEATURES.size(), FEATURES.size());
      labels[i] = (float) (0.002 * row[0] * row[1] + 0.5 * row[2] - 0.3 * row[3] + 0.05 * random.nextGaussian());
    }
    try {
      DMatrix train = new DMatrix(flat, n, FEATURES.size(), Float.NaN);
      try {
        train.setLabel(labels);
        return XGBoost.train(train, params, rounds, Map.of(), null, null);
      } finally {
        train.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("training the tiny booster failed: " + e.getMessage(), e);
    }
  }

  private static float[] row(Random random) {
    float horizon = 15 * (1 + random.nextInt(4));
    return new float[] {
      horizon,
      (float) (random.nextGaussian() * 0.05),
      (float) (random.nextGaussian() * 0.1),
      (float) Math.sin(random.nextDouble() * 2 * Math.PI)
    };
  }
}
