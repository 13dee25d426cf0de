package io.nowcast.serve.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.serve.bench.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePredictorTest {
  @TempDir Path dir;

  @Test
  void predictsWhatTheBoosterPredictsSortedByLevel() throws Exception {
    TinyBundle.write(dir, 7, false);
    float[] inputs = rows(5, new Random(1));
    try (BundlePredictor predictor = BundlePredictor.load(dir, 1)) {
      assertArrayEquals(new double[] {0.1, 0.5, 0.9}, predictor.levels());
      double[][] got = predictor.predict(inputs, 5);
      float[][] direct = direct(dir.resolve("model.ubj"), inputs, 5);
      for (int r = 0; r < 5; r++) {
        double[] expected = {direct[r][0], direct[r][1], direct[r][2]};
        Arrays.sort(expected);
        assertArrayEquals(expected, got[r], 1e-7, "row " + r);
        assertTrue(got[r][0] <= got[r][1] && got[r][1] <= got[r][2], "non-crossing row " + r);
      }
    }
  }

  @Test
  void combinesSeveralBoostersByTheirOutputLevels() throws Exception {
    TinyBundle.write(dir, 11, true);
    float[] inputs = rows(4, new Random(2));
    try (BundlePredictor predictor = BundlePredictor.load(dir, 1)) {
      double[][] got = predictor.predict(inputs, 4);
      float[][] median = direct(dir.resolve("model.ubj"), inputs, 4);
      float[][] outer = direct(dir.resolve("extra/p10_p90.ubj"), inputs, 4);
      for (int r = 0; r < 4; r++) {
        double[] expected = {outer[r][0], median[r][0], outer[r][1]};
        Arrays.sort(expected);
        assertArrayEquals(expected, got[r], 1e-7);
      }
    }
  }

  @Test
  void refusesBundlesItCannotServe() throws Exception {
    assertTrue(assertThrows(InvalidBundleException.class, () -> BundlePredictor.load(dir, 1))
        .getMessage().contains("nowcast-bundle.json is missing"));

    TinyBundle.write(dir, 3, false);
    Path meta = dir.resolve(NowcastBundle.FILE_NAME);
    String original = Files.readString(meta);
    Files.writeString(meta, original.replace("power-nowcast-xgb/1", "power-nowcast-xgb/9"));
    assertTrue(assertThrows(InvalidBundleException.class, () -> ServableBundle.read(dir))
        .getMessage().contains("power-nowcast-xgb/9"));
    Files.writeString(meta, original.replace("\"model.ubj\"", "\"absent.ubj\""));
    assertTrue(assertThrows(InvalidBundleException.class, () -> ServableBundle.read(dir))
        .getMessage().contains("absent.ubj"));
    Files.writeString(meta, original.replace("\"relative_change\"", "\"absolute\""));
    assertTrue(assertThrows(InvalidBundleException.class, () -> ServableBundle.read(dir))
        .getMessage().contains("absolute"));
  }

  @Test
  void aSwappedOutModelIsFreedOnlyAfterItsLastRequest() {
    TinyBundle.write(dir, 5, false);
    ModelSlot slot = new ModelSlot();
    LoadedModel first = new LoadedModel(BundlePredictor.load(dir, 1), "m", "1", "test");
    slot.swap(first);
    float[] inputs = rows(1, new Random(3));
    double[] during = slot.withModel(model -> {
      // A swap while this request holds the model must not free it under the request.
      slot.swap(new LoadedModel(BundlePredictor.load(dir, 1), "m", "2", "test"));
      assertEquals(false, first.isFreed());
      return model.predictor().predict(inputs, 1)[0];
    });
    assertEquals(3, during.length);
    assertTrue(first.isFreed(), "the old model is freed once its last request is done");
    assertEquals("2", slot.withModel(LoadedModel::version));
    slot.close();
  }

  static float[] rows(int n, Random random) {
    int columns = TinyBundle.FEATURES.size();
    float[] out = new float[n * columns];
    for (int r = 0; r < n; r++) {
      Map<String, Double> features = TinyBundle.randomFeatures(random);
      out[r * columns] = TinyBundle.HORIZONS.get(r % TinyBundle.HORIZONS.size());
      for (int c = 1; c < columns; c++) {
        out[r * columns + c] = features.get(TinyBundle.FEATURES.get(c)).floatValue();
      }
    }
    return out;
  }

  static float[][] direct(Path file, float[] inputs, int rows) throws Exception {
    Booster booster = XGBoost.loadModel(file.toString());
    DMatrix matrix = new DMatrix(inputs, rows, TinyBundle.FEATURES.size(), Float.NaN);
    try {
      return booster.predict(matrix);
    } finally {
      matrix.dispose();
      booster.dispose();
    }
  }
}
