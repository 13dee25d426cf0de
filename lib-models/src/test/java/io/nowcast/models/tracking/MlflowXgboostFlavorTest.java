package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.features.FeatureTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow xgboost-flavor directory written from Java: its layout, and a cross-check with Python
 * (the serving venv's MLflow 2.17.2 and xgboost 3.4.0) that loads it with {@code mlflow.pyfunc} and
 * predicts the same as the JVM booster, and whose own {@code save_model} writes the same MLmodel.
 */
class MlflowXgboostFlavorTest {

  @Test
  void writesTheFlavorLayoutAndPinsXgboostAtLeastAsNewAsTheJvm(@TempDir Path tmp) throws Exception {
    Booster booster = TinyBoosters.quantile(1, 8);
    Path dir = tmp.resolve("mlflow-model");
    MlflowXgboostFlavor.write(dir, booster, TinyBoosters.quantileBundle());

    for (String file : List.of("MLmodel", "model.ubj", "conda.yaml", "python_env.yaml", "requirements.txt",
        "nowcast-bundle.json")) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file);
    }
    String jvmVersion = MlflowXgboostFlavor.writerVersion(booster);
    assertTrue(compareVersions(MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION, jvmVersion) >= 0,
        "Python xgboost pin " + MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION + " older than the JVM's " + jvmVersion);
    assertEquals(List.of("mlflow==2.17.2", "xgboost==" + MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION),
        Files.readAllLines(dir.resolve("requirements.txt")));
    assertEquals(TinyBoosters.quantileBundle(), NowcastBundle.read(dir));
    // The booster on disk predicts as the original and knows its feature names; the caller's is unchanged.
    Booster reloaded = TinyBoosters.load(dir.resolve("model.ubj"));
    float[][] rows = TinyBoosters.rows(3, 20);
    assertEquals(List.of(TinyBoosters.FEATURES.toArray()), List.of((Object[]) reloaded.getFeatureNames()));
    assertArrayEquals(TinyBoosters.predict(booster, rows), TinyBoosters.predict(reloaded, rows), 0.0);
    String[] callerNames = booster.getFeatureNames();
    assertTrue(callerNames == null || !java.util.Arrays.asList(callerNames).equals(TinyBoosters.FEATURES),
        "the caller's booster was modified: " + java.util.Arrays.toString(callerNames));
  }

  @Test
  void refusesAMismatchedFeatureListAndANonEmptyDirectory(@TempDir Path tmp) throws Exception {
    Booster booster = TinyBoosters.quantile(1, 3);
    NowcastBundle tooFew = new NowcastBundle(List.of("a", "b"), List.of(15), TinyBoosters.QUANTILES,
        TinyBoosters.quantileBundle().boosters(), "relative_change", FeatureTable.LOAD_NOW, 5, false,
        NowcastBundle.QUANTILE_OBJECTIVE, "3.4.0", List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlflowXgboostFlavor.write(tmp.resolve("a"), booster, tooFew));
    assertTrue(e.getMessage().contains("has 4 features but the bundle names 2"), e.getMessage());

    Files.createDirectories(tmp.resolve("b"));
    Files.writeString(tmp.resolve("b/leftover.txt"), "from an earlier model");
    e = assertThrows(IllegalArgumentException.class,
        () -> MlflowXgboostFlavor.write(tmp.resolve("b"), booster, TinyBoosters.quantileBundle()));
    assertTrue(e.getMessage().contains("must be empty"), e.getMessage());
  }

  @Test
  void aTrainingBundleWithAFurtherBoosterBecomesAnMlflowModel(@TempDir Path tmp) throws Exception {
    Path bundleDir = tmp.resolve("bundle");
    Files.createDirectories(bundleDir.resolve("extra"));
    Booster main = TinyBoosters.point(4, 5);
    Booster p90 = TinyBoosters.point(5, 6);
    Files.write(bundleDir.resolve("model.ubj"), main.toByteArray("ubj"));
    Files.write(bundleDir.resolve("extra/p90.ubj"), p90.toByteArray("ubj"));
    List<Integer> horizons = List.of(15, 30);
    NowcastBundle bundle = new NowcastBundle(TinyBoosters.FEATURES, horizons, List.of(0.5, 0.9),
        List.of(new NowcastBundle.BoosterFile("model.ubj", List.of(0.5), horizons),
            new NowcastBundle.BoosterFile("extra/p90.ubj", List.of(0.9), horizons)),
        "relative_change", FeatureTable.LOAD_NOW, 5, true, NowcastBundle.QUANTILE_OBJECTIVE, "3.4.0", List.of());
    bundle.write(bundleDir);

    Path out = tmp.resolve("mlflow-model");
    MlflowXgboostFlavor.writeFromBundle(bundleDir, out);
    assertEquals(bundle, NowcastBundle.read(out));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(bundleDir.resolve("extra/p90.ubj")),
        Files.readAllBytes(out.resolve("extra/p90.ubj"))));
    float[][] rows = TinyBoosters.rows(8, 10);
    assertArrayEquals(TinyBoosters.predict(main, rows),
        TinyBoosters.predict(TinyBoosters.load(out.resolve("model.ubj")), rows), 0.0);
    // One output: the signature's output tensor is one-dimensional, as MLflow infers for a point model.
    JsonNode mlmodel = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(out.resolve("MLmodel").toFile());
    assertEquals("[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1]}}]",
        mlmodel.path("signature").path("outputs").asText());

    Files.delete(bundleDir.resolve("extra/p90.ubj"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlflowXgboostFlavor.writeFromBundle(bundleDir, tmp.resolve("again")));
    assertTrue(e.getMessage().contains("lists booster extra/p90.ubj but the file is missing"), e.getMessage());
  }

  @Test
  void pythonPyfuncPredictsAsTheJvmAndMlflowWritesTheSameMlmodel(@TempDir Path tmp) throws Exception {
    Booster booster = TinyBoosters.quantile(2, 10);
    Path dir = tmp.resolve("mlflow-model");
    MlflowXgboostFlavor.write(dir, booster, TinyBoosters.quantileBundle());
    float[][] rows = TinyBoosters.rows(5, 40);
    Path rowsJson = tmp.resolve("rows.json");
    Files.writeString(rowsJson, TinyBoosters.dataframeSplit(rows));

    JsonNode out = ServingPython.runScript(tmp, "pyfunc_crosscheck.py",
        List.of(dir.toString(), rowsJson.toString()), tmp.resolve("out.json"));

    assertEquals(MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION, out.path("xgboost_version").asText());
    assertEquals("2.17.2", out.path("mlflow_version").asText());
    float[][] jvm = TinyBoosters.predict(booster, rows);
    JsonNode python = out.path("predictions");
    assertEquals(rows.length, python.size());
    for (int i = 0; i < rows.length; i++) {
      assertEquals(3, python.get(i).size());
      for (int k = 0; k < 3; k++) {
        assertEquals(jvm[i][k], python.get(i).get(k).asDouble(), 1e-5, "row " + i + " output " + k);
      }
    }
    // MLflow's own save_model of the same booster and signature: same flavors and signature.
    ObjectNode ours = (ObjectNode) out.path("mlmodel").deepCopy();
    ObjectNode reference = (ObjectNode) out.path("reference_mlmodel").deepCopy();
    assertEquals(fieldNames(reference), fieldNames(ours));
    assertEquals(reference.path("signature"), ours.path("signature"));
    assertEquals(reference.path("flavors").path("xgboost"), ours.path("flavors").path("xgboost"));
    ObjectNode refPyfunc = (ObjectNode) reference.path("flavors").path("python_function");
    ObjectNode ourPyfunc = (ObjectNode) ours.path("flavors").path("python_function");
    assertTrue(refPyfunc.path("python_version").asText().startsWith(ourPyfunc.path("python_version").asText()));
    refPyfunc.remove("python_version");
    ourPyfunc.remove("python_version");
    assertEquals(refPyfunc, ourPyfunc);
    assertEquals(fieldNames(out.path("reference_python_env")), fieldNames(out.path("python_env")));
    assertEquals(fieldNames(out.path("reference_conda")), fieldNames(out.path("conda")));
    assertTrue(out.path("python_env").path("dependencies").toString().contains("-r requirements.txt"));
    // Versions must be YAML strings: MLflow calls str methods on them.
    assertTrue(out.path("python_env").path("python").isTextual(), out.path("python_env").toString());
    assertTrue(out.path("mlmodel").path("flavors").path("xgboost").path("xgb_version").isTextual());
    assertEquals(TinyBoosters.FEATURES, List.of(MlflowHttp.JSON.convertValue(
        out.path("booster_feature_names"), String[].class)));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    names.sort(null);
    return names;
  }

  private static void assertArrayEquals(float[][] expected, float[][] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length);
      for (int k = 0; k < expected[i].length; k++) {
        assertEquals(expected[i][k], actual[i][k], tolerance, "row " + i + " output " + k);
      }
    }
  }

  private static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }
}
