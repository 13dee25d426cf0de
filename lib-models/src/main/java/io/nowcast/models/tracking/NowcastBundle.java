package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata file {@code nowcast-bundle.json} of an XGBoost model bundle, as defined by
 * {@code docs/contracts/model-bundle.md}: the booster's input order, horizons, quantiles, which booster
 * file carries which quantile outputs, and how an output becomes megawatts.
 *
 * @param features input order of every booster: DMatrix column {@code i} is {@code features.get(i)}
 * @param boosters the booster files and the quantile level of each output; the first is {@code model.ubj}
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

  /** One booster file and the quantile level of each of its outputs, in output order. */
  public record BoosterFile(String file, List<Double> outputs) {
    public BoosterFile {
      outputs = List.copyOf(outputs);
      if (outputs.isEmpty()) {
        throw new IllegalArgumentException("booster " + file + " must have at least one output");
      }
    }
  }

  /**
   * One calibration margin: the interval (lower, upper) of {@code horizon} for {@code region} ({@code
   * "*"} for every other region) moves outward by {@code margin} as a relative change (inward when
   * negative), never past the P50.
   */
  public record IntervalMargin(int horizon, double lower, double upper, String region, double margin) {}

  /**
   * The upper level of the calibrated interval whose lower level is {@code lower} (below 0.5): {@code
   * 1 − lower}, rounded to 9 decimals so that it is the level a bundle lists (in doubles, 1 − 0.07 is
   * 0.9299999999999999, not 0.93). The batch model and the server pair levels with it.
   */
  public static double pairedUpperLevel(double lower) {
    return Math.round((1.0 - lower) * 1e9) / 1e9;
  }

  /** Without interval calibration. */
  public NowcastBundle(List<String> features, List<Integer> horizons, List<Double> quantiles,
      List<BoosterFile> boosters, String target, String baseColumn, int stepMinutes,
      String xgboostVersion) {
    this(features, horizons, quantiles, boosters, target, baseColumn, stepMinutes, xgboostVersion,
        List.of());
  }

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

  /** Whether the horizon is one of the booster inputs ({@link #HORIZON_FEATURE}). */
  public boolean horizonIsFeature() {
    return features.contains(HORIZON_FEATURE);
  }

  /** The inputs a caller sends: {@link #features} without the horizon (a server fills that in). */
  public List<String> requestFeatures() {
    return features.stream().filter(f -> !f.equals(HORIZON_FEATURE)).toList();
  }

  /** The JSON document, keys in the contract's order. */
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
    }
    root.put("target", target);
    root.put("base_column", baseColumn);
    root.put("step_minutes", stepMinutes);
    root.put("xgboost_version", xgboostVersion);
    if (!intervalMargins.isEmpty()) {
      ArrayNode margins = root.putArray("interval_calibration");
      for (IntervalMargin m : intervalMargins) {
        margins.addObject().put("horizon", m.horizon()).put("lower", m.lower()).put("upper", m.upper())
            .put("region", m.region()).put("margin", m.margin());
      }
    }
    return root;
  }

  /** Writes {@code dir/nowcast-bundle.json}. */
  public void write(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      MlflowHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson());
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
    JsonNode root;
    try {
      root = MlflowHttp.JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          file + " has format '" + root.path("format").asText() + "', expected '" + FORMAT + "'");
    }
    List<BoosterFile> boosters = new ArrayList<>();
    for (JsonNode booster : root.path("boosters")) {
      boosters.add(new BoosterFile(booster.path("file").asText(), doubles(booster.path("outputs"))));
    }
    List<String> features = new ArrayList<>();
    root.path("features").forEach(f -> features.add(f.asText()));
    List<Integer> horizons = new ArrayList<>();
    root.path("horizons").forEach(h -> horizons.add(h.asInt()));
    List<IntervalMargin> margins = new ArrayList<>();
    for (JsonNode m : root.path("interval_calibration")) {
      margins.add(new IntervalMargin(m.path("horizon").asInt(), m.path("lower").asDouble(),
          m.path("upper").asDouble(), m.path("region").asText(), m.path("margin").asDouble()));
    }
    return new NowcastBundle(features, horizons, doubles(root.path("quantiles")), boosters,
        root.path("target").asText(), root.path("base_column").asText(),
        root.path("step_minutes").asInt(), root.path("xgboost_version").asText(), margins);
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asDouble()));
    return values;
  }
}
