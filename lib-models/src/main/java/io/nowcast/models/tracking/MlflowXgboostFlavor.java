package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Writes an XGBoost booster as an MLflow model directory in MLflow's {@code xgboost} flavor, laid out
 * as MLflow 2.17.2's {@code mlflow.xgboost.save_model(booster, path, model_format="ubj", signature=...)}
 * lays it out, so {@code mlflow.pyfunc.load_model} and {@code mlflow models serve} load it:
 *
 * <pre>
 *   MLmodel            flavors xgboost + python_function, signature (feature columns as double)
 *   model.ubj          the booster, with the feature names set (Python then refuses misordered columns)
 *   conda.yaml, python_env.yaml, requirements.txt   pin xgboost {@value #PYTHON_XGBOOST_VERSION} and
 *                      mlflow {@value MlflowVenv#MLFLOW_VERSION}
 *   nowcast-bundle.json   our contract's metadata (docs/contracts/model-bundle.md)
 * </pre>
 *
 * <p>Written from Java because the training job has no Python; the keys follow
 * {@code mlflow/xgboost/__init__.py}, {@code mlflow/models/model.py} and {@code mlflow/utils/environment.py}
 * of 2.17.2 (checked against a directory Python's {@code save_model} writes, in the tests).
 */
public final class MlflowXgboostFlavor {
  /** The MLflow version the directory is written for (and pinned in its requirements). */
  public static final String MLFLOW_VERSION = MlflowVenv.MLFLOW_VERSION;

  /**
   * The Python xgboost pinned in the requirements. Must be at least the JVM's version: older Python
   * xgboost loads 3.x model files without error but predicts wrong (DESIGN.md section 12). 3.4.0 is
   * the JVM's own version and exists on PyPI (it needs Python 3.12 or newer).
   */
  public static final String PYTHON_XGBOOST_VERSION = "3.4.0";

  /** The Python version recorded for the model: the oldest that xgboost 3.4.0 installs on. */
  public static final String PYTHON_VERSION = "3.12";

  /** The MLmodel file name. */
  public static final String MLMODEL = "MLmodel";

  private static final DateTimeFormatter PYTHON_DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              // Every string quoted: PyYAML would read an unquoted "3.12" as a float and a timestamp as a
              // datetime (MLflow calls str methods on both); quoted, the values are the same as MLflow's.
              .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private MlflowXgboostFlavor() {}

  /** Writes {@code booster} (unchanged: a copy gets the feature names) and {@code bundle} into {@code dir}. */
  public static void write(Path dir, Booster booster, NowcastBundle bundle) {
    try {
      write(dir, booster.toByteArray("ubj"), bundle);
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot serialise the booster: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the model directory from the booster's serialised bytes (any format XGBoost reads). The
   * directory must be empty or absent: a half-overwritten model directory would mix two models.
   *
   * @throws IllegalArgumentException when the booster's number of features differs from the bundle's
   */
  public static void write(Path dir, byte[] boosterBytes, NowcastBundle bundle) {
    prepareEmptyDir(dir);
    String xgbVersion;
    Booster copy = null;
    try {
      copy = XGBoost.loadModel(boosterBytes);
      long numFeatures = copy.getNumFeature();
      if (numFeatures != bundle.features().size()) {
        throw new IllegalArgumentException(
            "the booster has " + numFeatures + " features but the bundle names " + bundle.features().size()
                + ": " + bundle.features());
      }
      String[] names = bundle.features().toArray(String[]::new);
      copy.setFeatureNames(names);
      String[] types = new String[names.length];
      java.util.Arrays.fill(types, "float");
      copy.setFeatureTypes(types);
      xgbVersion = writerVersion(copy);
      Files.write(dir.resolve(NowcastBundle.MAIN_BOOSTER), copy.toByteArray("ubj"));
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot write the booster to " + dir + ": " + e.getMessage(), e);
    } finally {
      if (copy != null) {
        copy.dispose();
      }
    }
    bundle.write(dir);
    long size = totalSize(dir);
    writeYaml(dir.resolve(MLMODEL), mlmodel(bundle, xgbVersion, size));
    writeYaml(dir.resolve("conda.yaml"), condaEnv());
    writeYaml(dir.resolve("python_env.yaml"), pythonEnv());
    writeText(dir.resolve("requirements.txt"), String.join("\n", requirements()));
  }

  /**
   * Writes the MLflow model directory {@code out} from a bundle directory as training leaves it
   * ({@code model.ubj}, {@code nowcast-bundle.json} and any further booster files it lists, e.g.
   * {@code extra/p90.ubj}); the further boosters are copied as they are.
   */
  public static void writeFromBundle(Path bundleDir, Path out) {
    NowcastBundle bundle = NowcastBundle.read(bundleDir);
    Path main = bundleDir.resolve(NowcastBundle.MAIN_BOOSTER);
    try {
      write(out, Files.readAllBytes(main), bundle);
      for (NowcastBundle.BoosterFile booster : bundle.boosters().subList(1, bundle.boosters().size())) {
        Path source = bundleDir.resolve(booster.file()).normalize();
        Path target = out.resolve(booster.file()).normalize();
        if (!source.startsWith(bundleDir.normalize()) || !target.startsWith(out.normalize())) {
          throw new IllegalArgumentException("booster file must stay inside the bundle: " + booster.file());
        }
        if (!Files.isRegularFile(source)) {
          throw new IllegalArgumentException(
              "bundle " + bundleDir + " lists booster " + booster.file() + " but the file is missing");
        }
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the MLflow model " + out + " from " + bundleDir, e);
    }
  }

  /** The pip requirements written to {@code requirements.txt}. */
  public static List<String> requirements() {
    return List.of("mlflow==" + MLFLOW_VERSION, "xgboost==" + PYTHON_XGBOOST_VERSION);
  }

  /** The MLmodel content, keys sorted as Python's {@code yaml.safe_dump} sorts them. */
  static Map<String, Object> mlmodel(NowcastBundle bundle, String xgbVersion, long sizeBytes) {
    Map<String, Object> pyfunc = new TreeMap<>();
    pyfunc.put("data", NowcastBundle.MAIN_BOOSTER);
    pyfunc.put("env", new TreeMap<>(Map.of("conda", "conda.yaml", "virtualenv", "python_env.yaml")));
    pyfunc.put("loader_module", "mlflow.xgboost");
    pyfunc.put("python_version", PYTHON_VERSION);

    Map<String, Object> xgb = new TreeMap<>();
    xgb.put("code", null);
    xgb.put("data", NowcastBundle.MAIN_BOOSTER);
    xgb.put("model_class", "xgboost.core.Booster");
    xgb.put("model_format", "ubj");
    xgb.put("xgb_version", xgbVersion);

    Map<String, Object> signature = new TreeMap<>();
    signature.put("inputs", inputSchema(bundle.features()));
    signature.put("outputs", outputSchema(bundle.mainOutputs().size()));
    signature.put("params", null);

    Map<String, Object> model = new TreeMap<>();
    model.put("flavors", new TreeMap<>(Map.of("python_function", pyfunc, "xgboost", xgb)));
    model.put("mlflow_version", MLFLOW_VERSION);
    model.put("model_size_bytes", sizeBytes);
    model.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    model.put("signature", signature);
    model.put("utc_time_created", LocalDateTime.now(ZoneOffset.UTC).format(PYTHON_DATETIME));
    return model;
  }

  /** MLflow's column-based schema JSON: one required double column per feature, in booster order. */
  static String inputSchema(List<String> features) {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (String feature : features) {
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("type", "double");
      column.put("name", feature);
      column.put("required", true);
      columns.add(column);
    }
    return pythonJson(columns);
  }

  /** A float32 tensor: {@code [-1]} for one output, {@code [-1, k]} for k outputs (e.g. quantiles). */
  static String outputSchema(int outputs) {
    List<Integer> shape = outputs == 1 ? List.of(-1) : List.of(-1, outputs);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("dtype", "float32");
    spec.put("shape", shape);
    Map<String, Object> tensor = new LinkedHashMap<>();
    tensor.put("type", "tensor");
    tensor.put("tensor-spec", spec);
    return pythonJson(List.of(tensor));
  }

  private static Map<String, Object> condaEnv() {
    List<Object> dependencies = new ArrayList<>();
    dependencies.add("python=" + PYTHON_VERSION);
    dependencies.add("pip");
    dependencies.add(Map.of("pip", requirements()));
    Map<String, Object> env = new TreeMap<>();
    env.put("channels", List.of("conda-forge"));
    env.put("dependencies", dependencies);
    env.put("name", "mlflow-env");
    return env;
  }

  private static Map<String, Object> pythonEnv() {
    // Insertion order, as MLflow writes it (sort_keys=False). Build tools unpinned: MLflow leaves
    // them so when their version is unknown, and we write from Java.
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("python", PYTHON_VERSION);
    env.put("build_dependencies", List.of("pip", "setuptools", "wheel"));
    env.put("dependencies", List.of("-r requirements.txt"));
    return env;
  }

  /**
   * The XGBoost version that wrote the model, from its JSON form ({@code "version": [3, 4, 0]}): the
   * native library's own word, not a jar manifest that might disagree.
   */
  static String writerVersion(Booster booster) throws XGBoostError {
    try {
      JsonNode version = MlflowHttp.JSON.readTree(booster.toByteArray("json")).path("version");
      if (version.isArray() && version.size() == 3) {
        return version.get(0).asInt() + "." + version.get(1).asInt() + "." + version.get(2).asInt();
      }
      throw new IllegalStateException("the booster's JSON has no version: " + version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the booster's JSON form", e);
    }
  }

  /** JSON as Python's {@code json.dumps} writes it (", " and ": " separators), as MLflow stores schemas. */
  private static String pythonJson(Object value) {
    try {
      return MlflowHttp.JSON.writer(new PythonJsonPrinter()).writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void prepareEmptyDir(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException("MLflow model directory must be empty: " + dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static long totalSize(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void writeYaml(Path file, Object content) {
    try {
      YAML.writeValue(file.toFile(), content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeText(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Compact JSON with Python's default separators: {@code {"a": 1, "b": [1, 2]}}. */
  private static final class PythonJsonPrinter
      extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }

}
