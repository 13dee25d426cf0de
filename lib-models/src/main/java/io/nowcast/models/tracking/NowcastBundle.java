package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata file {@code nowcast-bundle.json} of an XGBoost model bundle, as defined by
 * {@code docs/contracts/model-bundle.md}: the booster's input order, horizons, quantiles, which booster
 * file carries which quantile outputs for which horizons, how an output becomes megawatts, and the
 * interval calibration. The one definition of that file: training ({@code XgbNowcastModel}), the
 * MLflow flavor, the registry and the server all read and write it through this record.
 *
 * <p>Bundles written before the additive keys existed still read: a missing {@code horizon_as_feature}
 * is whether {@code features} holds {@value #HORIZON_FEATURE}, a missing {@code objective} is null (not
 * a point model), a booster without {@code horizons} serves every horizon, a calibration entry without
 * {@code rows} has 0.
 *
 * @param features input order of every booster: DMatrix column {@code i} is {@code features.get(i)}
 * @param horizons the forecast horizons in minutes
 * @param quantiles the quantile levels the boosters give, 0.5 among them ({@code [0.5]} for a point model)
 * @param boosters the booster files and the quantile level of each output; the first is {@code model.ubj}
 * @param target how an output becomes a forecast; only {@value #RELATIVE_CHANGE} is defined
 * @param baseColumn the column an output is relative to ({@code base_column})
 * @param stepMinutes the series' step in minutes
 * @param horizonAsFeature true: each booster serves every horizon, with the horizon as the input {@value
 *     #HORIZON_FEATURE}; false: one booster per horizon and quantile
 * @param objective {@value #QUANTILE_OBJECTIVE} or {@value #POINT_OBJECTIVE}; null when the bundle
 *     predates the key
 * @param xgboostVersion the XGBoost version that wrote the boosters (e.g. {@code 3.4.0})
 * @param intervalMargins per-series calibration of the quantile intervals ({@code
 *     interval_calibration}; empty when the model has none)
 */
public record NowcastBundle(
    List<String> features,
    List<Integer> horizons,
    List<Double> quantiles,
    List<BoosterFile> boosters,
    String target,
    String baseColumn,
    int stepMinutes,
    boolean horizonAsFeature,
    String objective,
    String xgboostVersion,
    List<IntervalMargin> intervalMargins) {

  /** The value of {@code format} this class reads and writes. */
  public static final String FORMAT = "power-nowcast-xgb/1";
  /** File name inside the MLflow model directory. */
  public static final String FILE_NAME = "nowcast-bundle.json";
  /** The booster registered with MLflow's xgboost flavor. */
  public static final String MAIN_BOOSTER = "model.ubj";
  /** The input column that carries the horizon in minutes, when the model takes it as a feature. */
  public static final String HORIZON_FEATURE = "horizon_min";
  /** The only target kind defined so far: an output {@code v} means {@code base_column × (1 + v)}. */
  public static final String RELATIVE_CHANGE = "relative_change";
  /** The {@code objective} of quantile boosters. */
  public static final String QUANTILE_OBJECTIVE = "reg:quantileerror";
  /** The {@code objective} of a point (squared-error) model: one 0.5 output, no interval. */
  public static final String POINT_OBJECTIVE = "point";

  /**
   * One booster file, the quantile level of each of its outputs in output order, and the horizons it
   * serves (every horizon of the bundle when the horizon is an input).
   */
  public record BoosterFile(String file, List<Double> outputs, List<Integer> horizons) {
    /** Copies the lists; refuses a booster without outputs. */
    public BoosterFile {
      outputs = List.copyOf(outputs);
      horizons = List.copyOf(horizons);
      if (outputs.isEmpty()) {
        throw new IllegalArgumentException("booster " + file + " must have at least one output");
      }
    }
  }

  /**
   * One calibration margin: the interval (lower, upper) of {@code horizon} for {@code region} ({@code
   * "*"} for every other region) moves outward by {@code margin} as a relative change (inward when
   * negative), never past the P50. {@code rows} is the number of calibration rows it was fitted on
   * (informational).
   */
  public record IntervalMargin(int horizon, double lower, double upper, String region, double margin,
      long rows) {}

  /**
   * The upper level of the calibrated interval whose lower level is {@code lower} (below 0.5): {@code
   * 1 − lower}, rounded to 9 decimals so that it is the level a bundle lists (in doubles, 1 − 0.07 is
   * 0.9299999999999999, not 0.93). The batch model and the server pair levels with it.
   */
  public static double pairedUpperLevel(double lower) {
    return Math.round((1.0 - lower) * 1e9) / 1e9;
  }

  /** Copies the lists; refuses a bundle without features or whose first booster is not {@code model.ubj}. */
  public NowcastBundle {
    intervalMargins = List.copyOf(intervalMargins);
    features = List.copyOf(features);
    horizons = List.copyOf(horizons);
    quantiles = List.copyOf(quantiles);
    boosters = List.copyOf(boosters);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("a model bundle needs at least one feature");
    }
    if (boosters.isEmpty() || !MAIN_BOOSTER.equals(boosters.get(0).file())) {
      throw new IllegalArgumentException(
          "the first booster of a bundle must be " + MAIN_BOOSTER + ", got " + boosters);
    }
  }

  /** The main booster's outputs ({@code model.ubj}), e.g. {@code [0.1, 0.5, 0.9]}. */
  public List<Double> mainOutputs() {
    return boosters.get(0).outputs();
  }

  /**
   * Whether the horizon is one of the booster inputs ({@link #HORIZON_FEATURE}), so a server must fill
   * it in. Training sets {@link #horizonAsFeature} to the same; that one says how boosters are split.
   */
  public boolean horizonIsFeature() {
    return features.contains(HORIZON_FEATURE);
  }

  /** Whether the boosters are a point model; false when the bundle predates {@code objective}. */
  public boolean pointObjective() {
    return POINT_OBJECTIVE.equals(objective);
  }

  /** The inputs a caller sends: {@link #features} without the horizon (a server fills that in). */
  public List<String> requestFeatures() {
    return features.stream().filter(f -> !f.equals(HORIZON_FEATURE)).toList();
  }

  /** The JSON document, keys in the contract's order; {@code objective} only when known. */
  public ObjectNode toJson() {
    ObjectNode root = MlflowHttp.JSON.createObjectNode();
    root.put("format", FORMAT);
    features.forEach(root.putArray("features")::add);
    horizons.forEach(root.putArray("horizons")::add);
    quantiles.forEach(root.putArray("quantiles")::add);
    ArrayNode files = root.putArray("boosters");
    for (BoosterFile booster : boosters) {
      ObjectNode file = files.addObject().put("file", booster.file());
      booster.outputs().forEach(file.putArray("outputs")::add);
      booster.horizons().forEach(file.putArray("horizons")::add);
    }
    root.put("target", target);
    root.put("base_column", baseColumn);
    root.put("step_minutes", stepMinutes);
    root.put("horizon_as_feature", horizonAsFeature);
    if (objective != null) {
      root.put("objective", objective);
    }
    root.put("xgboost_version", xgboostVersion);
    if (!intervalMargins.isEmpty()) {
      ArrayNode margins = root.putArray("interval_calibration");
      for (IntervalMargin m : intervalMargins) {
        margins.addObject().put("horizon", m.horizon()).put("lower", m.lower()).put("upper", m.upper())
            .put("region", m.region()).put("margin", m.margin()).put("rows", m.rows());
      }
    }
    return root;
  }

  /**
   * The bundle a JSON document describes, with the defaults above for keys older bundles lack.
   *
   * @param source where the document came from, for the error message (a file or URI)
   * @throws IllegalArgumentException when {@code format} is not {@value #FORMAT}, or the document
   *     breaks the record's rules (no features, {@code model.ubj} not first, a booster without outputs)
   */
  public static NowcastBundle fromJson(JsonNode root, String source) {
    String format = root.path("format").asText();
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(source + " has format '" + format + "', expected '" + FORMAT + "'");
    }
    List<String> features = new ArrayList<>();
    root.path("features").forEach(f -> features.add(f.asText()));
    List<Integer> horizons = integers(root.path("horizons"));
    List<BoosterFile> boosters = new ArrayList<>();
    for (JsonNode booster : root.path("boosters")) {
      JsonNode served = booster.path("horizons");
      boosters.add(new BoosterFile(booster.path("file").asText(), doubles(booster.path("outputs")),
          served.isMissingNode() ? horizons : integers(served)));
    }
    List<IntervalMargin> margins = new ArrayList<>();
    for (JsonNode m : root.path("interval_calibration")) {
      margins.add(new IntervalMargin(m.path("horizon").asInt(), m.path("lower").asDouble(),
          m.path("upper").asDouble(), m.path("region").asText(), m.path("margin").asDouble(),
          m.path("rows").asLong()));
    }
    return new NowcastBundle(features, horizons, doubles(root.path("quantiles")), boosters,
        root.path("target").asText(), root.path("base_column").asText(), root.path("step_minutes").asInt(),
        root.path("horizon_as_feature").asBoolean(features.contains(HORIZON_FEATURE)),
        root.hasNonNull("objective") ? root.get("objective").asText() : null,
        root.path("xgboost_version").asText(), margins);
  }

  /**
   * Writes the document, pretty-printed, to {@code out} (left open): for callers with their own file
   * system, such as training writing to {@code s3a:}.
   */
  public void write(OutputStream out) throws IOException {
    out.write(MlflowHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
  }

  /**
   * Reads a document from {@code in} as {@link #fromJson} does.
   *
   * @throws IOException when {@code in} fails or does not hold JSON
   */
  public static NowcastBundle read(InputStream in, String source) throws IOException {
    return fromJson(MlflowHttp.JSON.readTree(in), source);
  }

  /** Writes {@code dir/nowcast-bundle.json}. */
  public void write(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads {@code dir/nowcast-bundle.json}; fails naming the file when it is absent or of another format. */
  public static NowcastBundle read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no " + FILE_NAME + " in " + dir + ": not a nowcast model bundle");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Integer> integers(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return values;
  }
}
