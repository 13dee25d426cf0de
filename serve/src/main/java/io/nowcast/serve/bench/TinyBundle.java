package io.nowcast.serve.bench;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.tracking.NowcastBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a small real quantile booster with XGBoost4J (a few hundred synthetic rows, seconds) and
 * writes it as a model bundle per docs/contracts/model-bundle.md, plus an MLflow {@code MLmodel} so
 * {@code mlflow models serve} can load the same directory. For tests and the benchmark; production
 * bundles come from training.
 */
public final class TinyBundle {
  /** The inputs of the tiny model, horizon first as training writes it. */
  public static final List<String> FEATURES =
      List.of(NowcastBundle.HORIZON_FEATURE, "x_rel_lag_5m", "x_rel_lag_15m", "x_rel_lag_60m",
          "x_hour_sin", "x_hour_cos", "x_temp_c");
  public static final List<Integer> HORIZONS = List.of(15, 30, 45, 60);
  public static final List<Double> QUANTILES = List.of(0.1, 0.5, 0.9);

  private TinyBundle() {}

  /**
   * Writes a bundle into {@code dir}.
   *
   * @param seed changes the data, so two seeds give two different models (for swap tests)
   * @param splitBoosters false: one booster {@code model.ubj} with the three quantile outputs; true:
   *     {@code model.ubj} gives P50 only and {@code extra/p10_p90.ubj} the outer quantiles
   */
  public static NowcastBundle write(Path dir, long seed, boolean splitBoosters) {
    try {
      Files.createDirectories(dir.resolve("extra"));
      List<NowcastBundle.BoosterFile> files = new ArrayList<>();
      if (splitBoosters) {
        save(train(seed, List.of(0.5)), dir.resolve("model.ubj"));
        save(train(seed, List.of(0.1, 0.9)), dir.resolve("extra/p10_p90.ubj"));
        files.add(new NowcastBundle.BoosterFile("model.ubj", List.of(0.5), HORIZONS));
        files.add(new NowcastBundle.BoosterFile("extra/p10_p90.ubj", List.of(0.1, 0.9), HORIZONS));
      } else {
        save(train(seed, QUANTILES), dir.resolve("model.ubj"));
        files.add(new NowcastBundle.BoosterFile("model.ubj", QUANTILES, HORIZONS));
      }
      NowcastBundle bundle = new NowcastBundle(FEATURES, HORIZONS, QUANTILES, files,
          NowcastBundle.RELATIVE_CHANGE, FeatureTable.LOAD_NOW, 5, true, NowcastBundle.QUANTILE_OBJECTIVE, "3.4.0",
          List.of());
      bundle.write(dir);
      writeMlmodel(dir);
      return bundle;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a bundle to " + dir, e);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }
  }

  /** Random but plausible feature values for one row (relative lags near 0, hour on the circle). */
  public static Map<String, Double> randomFeatures(Random random) {
    Map<String, Double> row = new LinkedHashMap<>();
    double hour = random.nextDouble() * 2 * Math.PI;
    row.put("x_rel_lag_5m", random.nextGaussian() * 0.01);
    row.put("x_rel_lag_15m", random.nextGaussian() * 0.02);
    row.put("x_rel_lag_60m", random.nextGaussian() * 0.05);
    row.put("x_hour_sin", Math.sin(hour));
    row.put("x_hour_cos", Math.cos(hour));
    row.put("x_temp_c", 5 + random.nextGaussian() * 8);
    return row;
  }

  private static Booster train(long seed, List<Double> alphas) throws XGBoostError {
    Random random = new Random(seed);
    int rows = 400;
    int columns = FEATURES.size();
    float[] data = new float[rows * columns];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      int horizon = HORIZONS.get(random.nextInt(HORIZONS.size()));
      Map<String, Double> features = randomFeatures(random);
      data[r * columns] = horizon;
      for (int c = 1; c < columns; c++) {
        data[r * columns + c] = features.get(FEATURES.get(c)).floatValue();
      }
      // Relative change grows with the horizon and follows the recent trend and the daily cycle.
      double trend = -features.get("x_rel_lag_15m") * horizon / 15.0;
      double daily = 0.02 * features.get("x_hour_sin") * horizon / 60.0;
      labels[r] = (float) (trend + daily + random.nextGaussian() * 0.005 * Math.sqrt(horizon / 15.0));
    }
    DMatrix train = new DMatrix(data, rows, columns, Float.NaN);
    try {
      train.setLabel(labels);
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "reg:quantileerror");
      params.put("quantile_alpha", alphas.toString());
      params.put("tree_method", "hist");
      params.put("max_depth", 4);
      params.put("eta", 0.3);
      params.put("nthread", 1);
      params.put("seed", (int) seed);
      return XGBoost.train(train, params, 20, new HashMap<>(), null, null);
    } finally {
      train.dispose();
    }
  }

  private static void save(Booster booster, Path file) throws XGBoostError, IOException {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, booster.toByteArray("ubj"));
    } finally {
      booster.dispose();
    }
  }

  /**
   * A minimal MLflow model description: the xgboost flavor (model.ubj) and python_function, so
   * {@code mlflow models serve -m DIR} serves model.ubj. The signature lists the booster inputs.
   */
  private static void writeMlmodel(Path dir) throws IOException {
    StringBuilder inputs = new StringBuilder("[");
    for (int i = 0; i < FEATURES.size(); i++) {
      inputs.append(i == 0 ? "" : ", ")
          .append("{\\\"type\\\": \\\"double\\\", \\\"name\\\": \\\"").append(FEATURES.get(i))
          .append("\\\", \\\"required\\\": true}");
    }
    inputs.append("]");
    String mlmodel = String.join("\n",
        "artifact_path: mlflow-model",
        "flavors:",
        "  python_function:",
        "    data: model.ubj",
        "    env:",
        "      virtualenv: python_env.yaml",
        "    loader_module: mlflow.xgboost",
        "    python_version: 3.11.2",
        "  xgboost:",
        "    code: null",
        "    data: model.ubj",
        "    model_class: xgboost.core.Booster",
        "    model_format: ubj",
        "    xgb_version: 3.4.0",
        "mlflow_version: 2.17.2",
        "signature:",
        "  inputs: \"" + inputs + "\"",
        "  outputs: null",
        "  params: null",
        "");
    Files.writeString(dir.resolve("MLmodel"), mlmodel);
    Files.writeString(dir.resolve("requirements.txt"), "mlflow==2.17.2\nxgboost>=3.0.0\n");
    Files.writeString(dir.resolve("python_env.yaml"),
        "python: 3.11.2\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n");
  }
}
