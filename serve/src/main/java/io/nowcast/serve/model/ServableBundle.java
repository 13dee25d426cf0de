package io.nowcast.serve.model;

import io.nowcast.models.tracking.NowcastBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a bundle's {@code nowcast-bundle.json} with lib-models' {@link NowcastBundle} (the one definition
 * of the contract, docs/contracts/model-bundle.md) and checks what serving needs beyond it: distinct
 * inputs, a way to tell horizons apart, a known target, every booster file present in the directory and
 * every promised quantile (0.5 among them) given by some booster. Every problem is an
 * {@link InvalidBundleException} naming the file.
 */
public final class ServableBundle {
  private ServableBundle() {}

  /** Reads and checks {@code dir/nowcast-bundle.json}; the message names the file and the problem. */
  public static NowcastBundle read(Path dir) {
    Path file = dir.resolve(NowcastBundle.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(
          dir + " is not a model bundle: " + NowcastBundle.FILE_NAME + " is missing");
    }
    NowcastBundle bundle;
    try {
      bundle = NowcastBundle.read(dir);
    } catch (IllegalArgumentException e) {
      // Not JSON, another format, no features, model.ubj not first: NowcastBundle says which.
      throw new InvalidBundleException(file + ": " + e.getMessage(), e);
    }
    check(bundle, file, dir);
    return bundle;
  }

  private static void check(NowcastBundle bundle, Path file, Path dir) {
    List<String> features = bundle.features();
    if (new LinkedHashSet<>(features).size() != features.size()) {
      throw invalid(file, "features must be a non-empty list of distinct names, got " + features);
    }
    List<Integer> horizons = bundle.horizons();
    if (horizons.isEmpty()) {
      throw invalid(file, "horizons is empty");
    }
    if (horizons.size() > 1 && !bundle.horizonIsFeature()) {
      throw invalid(file, "several horizons " + horizons + " but no '" + NowcastBundle.HORIZON_FEATURE
          + "' input: the booster could not tell them apart");
    }
    if (!NowcastBundle.RELATIVE_CHANGE.equals(bundle.target())) {
      throw invalid(file, "target is '" + bundle.target() + "', this server knows only '"
          + NowcastBundle.RELATIVE_CHANGE + "'");
    }
    if (bundle.baseColumn().isBlank()) {
      throw invalid(file, "base_column is missing");
    }
    Set<Double> covered = new LinkedHashSet<>();
    for (NowcastBundle.BoosterFile booster : bundle.boosters()) {
      if (booster.file().isBlank()) {
        throw invalid(file, "each booster needs a file and at least one output level");
      }
      Path path = dir.resolve(booster.file()).normalize();
      if (!path.startsWith(dir.normalize()) || !Files.isRegularFile(path)) {
        throw invalid(file, "booster file '" + booster.file() + "' is not in the bundle");
      }
      covered.addAll(booster.outputs());
    }
    if (!covered.containsAll(bundle.quantiles()) || !covered.contains(0.5)) {
      throw invalid(file, "the boosters give quantiles " + covered + " but the bundle promises "
          + bundle.quantiles() + " (and 0.5 is required)");
    }
  }

  private static InvalidBundleException invalid(Path file, String problem) {
    return new InvalidBundleException(file + ": " + problem);
  }
}
