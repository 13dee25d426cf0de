package io.nowcast.serve.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metadata of an XGBoost model bundle ({@code nowcast-bundle.json}, see
 * docs/contracts/model-bundle.md): the booster input order, horizons, quantile levels and which booster
 * file gives which quantile.
 *
 * @param features the exact DMatrix column order; {@link #HORIZON_FEATURE} when the horizon is an input
 * @param boosters each booster file and the quantile level of each of its outputs, in output order
 */
public record NowcastBundle(
    String format,
    List<String> features,
    List<Integer> horizons,
    List<Double> quantiles,
    List<BoosterFile> boosters,
    String target,
    String baseColumn,
    int stepMinutes,
    String xgboostVersion) {

  /** The metadata file name inside a bundle directory. */
  public static final String FILE_NAME = "nowcast-bundle.json";
  /** The format this reader understands (prefix; a later "/2" would need a new reader). */
  public static final String FORMAT = "power-nowcast-xgb/1";
  /** The input column that carries the horizon in minutes, when the model takes it. */
  public static final String HORIZON_FEATURE = "horizon_min";
  /** The only target kind defined so far: output v means base × (1 + v). */
  public static final String RELATIVE_CHANGE = "relative_change";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One booster file and the quantile level of each of its outputs. */
  public record BoosterFile(String file, List<Double> outputs) {}

  public NowcastBundle {
    features = List.copyOf(features);
    horizons = List.copyOf(horizons);
    quantiles = List.copyOf(quantiles);
    boosters = List.copyOf(boosters);
  }

  /** Reads and checks {@code dir/nowcast-bundle.json}; the message names the file and the problem. */
  public static NowcastBundle read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(dir + " is not a model bundle: " + FILE_NAME + " is missing");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidBundleException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    List<BoosterFile> boosters = new ArrayList<>();
    for (JsonNode booster : root.path("boosters")) {
      boosters.add(new BoosterFile(booster.path("file").asText(""), doubles(booster.path("outputs"))));
    }
    NowcastBundle bundle =
        new NowcastBundle(
            root.path("format").asText(""),
            strings(root.path("features")),
            ints(root.path("horizons")),
            doubles(root.path("quantiles")),
            boosters,
            root.path("target").asText(""),
            root.path("base_column").asText(""),
            root.path("step_minutes").asInt(0),
            root.path("xgboost_version").asText(""));
    bundle.check(file, dir);
    return bundle;
  }

  /** Whether the horizon is one of the booster inputs. */
  public boolean horizonIsFeature() {
    return features.contains(HORIZON_FEATURE);
  }

  /** The inputs a caller must send: {@link #features} without the horizon. */
  public List<String> requestFeatures() {
    return features.stream().filter(f -> !f.equals(HORIZON_FEATURE)).toList();
  }

  private void check(Path file, Path dir) {
    if (!format.equals(FORMAT)) {
      throw invalid(file, "format is '" + format + "', this server reads '" + FORMAT + "'");
    }
    if (features.isEmpty() || new LinkedHashSet<>(features).size() != features.size()) {
      throw invalid(file, "features must be a non-empty list of distinct names, got " + features);
    }
    if (horizons.isEmpty()) {
      throw invalid(file, "horizons is empty");
    }
    if (horizons.size() > 1 && !horizonIsFeature()) {
      throw invalid(file, "several horizons " + horizons + " but no '" + HORIZON_FEATURE
          + "' input: the booster could not tell them apart");
    }
    if (!target.equals(RELATIVE_CHANGE)) {
      throw invalid(file, "target is '" + target + "', this server knows only '" + RELATIVE_CHANGE + "'");
    }
    if (baseColumn.isBlank()) {
      throw invalid(file, "base_column is missing");
    }
    if (boosters.isEmpty()) {
      throw invalid(file, "boosters is empty");
    }
    Set<Double> covered = new LinkedHashSet<>();
    for (BoosterFile booster : boosters) {
      if (booster.file().isBlank() || booster.outputs().isEmpty()) {
        throw invalid(file, "each booster needs a file and at least one output level");
      }
      Path path = dir.resolve(booster.file()).normalize();
      if (!path.startsWith(dir.normalize()) || !Files.isRegularFile(path)) {
        throw invalid(file, "booster file '" + booster.file() + "' is not in the bundle");
      }
      covered.addAll(booster.outputs());
    }
    if (!covered.containsAll(quantiles) || !covered.contains(0.5)) {
      throw invalid(file, "the boosters give quantiles " + covered + " but the bundle promises "
          + quantiles + " (and 0.5 is required)");
    }
  }

  private static InvalidBundleException invalid(Path file, String problem) {
    return new InvalidBundleException(file + ": " + problem);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out;
  }

  /** Writes this metadata as {@code dir/nowcast-bundle.json} (used by tests and the benchmark). */
  public void write(Path dir) {
    var root = JSON.createObjectNode();
    root.put("format", format);
    features.forEach(root.putArray("features")::add);
    horizons.forEach(root.putArray("horizons")::add);
    quantiles.forEach(root.putArray("quantiles")::add);
    var array = root.putArray("boosters");
    for (BoosterFile booster : boosters) {
      var node = array.addObject().put("file", booster.file());
      booster.outputs().forEach(node.putArray("outputs")::add);
    }
    root.put("target", target).put("base_column", baseColumn).put("step_minutes", stepMinutes);
    root.put("xgboost_version", xgboostVersion);
    try {
      Files.createDirectories(dir);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE_NAME).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
    }
  }
}
