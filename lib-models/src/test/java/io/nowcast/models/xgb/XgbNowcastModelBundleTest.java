package io.nowcast.models.xgb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.models.tracking.NowcastBundle.BoosterFile;
import io.nowcast.models.tracking.NowcastBundle.IntervalMargin;
import io.nowcast.models.tracking.TinyBoosters;
import io.nowcast.models.xgb.XgbNowcastModel.Key;
import io.nowcast.testing.SparkTestSession;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.dmlc.xgboost4j.scala.XGBoost;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle file {@link XgbNowcastModel} writes is {@link NowcastBundle}'s: every field the model holds
 * reads back through {@link NowcastBundle#read}, keys in the order training has always written them,
 * and bundles from before the additive keys ({@code horizon_as_feature}, {@code objective}, booster
 * {@code horizons}, calibration {@code rows}) still load with the contract's defaults.
 */
class XgbNowcastModelBundleTest {
  private static final ModelInputs INPUTS =
      new ModelInputs(new FeatureSpec(5, List.of(5, 10, 60), List.of(), List.of(15, 30)));
  private static final List<Integer> HORIZONS = List.of(15, 30);
  private static final List<Double> LEVELS = List.of(0.1, 0.5, 0.9);
  /** Four names, as the tiny boosters have four inputs. */
  private static final List<String> INPUT_NAMES = List.of("x_rel_lag_5m", "x_rel_lag_10m", "x_rel_lag_60m", "x_w");

  @TempDir Path dir;

  @Test
  void aPerHorizonCalibratedModelReadsBackFieldByField() throws Exception {
    Map<Key, XGBoostRegressionModel> boosters = new LinkedHashMap<>();
    long seed = 1;
    for (int h : HORIZONS) {
      for (double q : LEVELS) {
        boosters.put(new Key(h, q), booster(seed++));
      }
    }
    List<IntervalMargin> margins = List.of(
        new IntervalMargin(15, 0.1, 0.9, "N.Y.C.", -0.0012, 4210),
        new IntervalMargin(15, 0.1, 0.9, IntervalCalibration.POOLED, 0.0031, 50210),
        new IntervalMargin(30, 0.1, 0.9, IntervalCalibration.POOLED, 0.0047, 50198));
    XgbNowcastModel model = new XgbNowcastModel(INPUTS, INPUT_NAMES, HORIZONS, LEVELS, false, boosters,
        IntervalCalibration.of(margins));
    model.writeBundle(dir);

    NowcastBundle bundle = NowcastBundle.read(dir);
    assertEquals(INPUT_NAMES, bundle.features());
    assertEquals(HORIZONS, bundle.horizons());
    assertEquals(LEVELS, bundle.quantiles());
    assertEquals(NowcastBundle.RELATIVE_CHANGE, bundle.target());
    assertEquals(FeatureTable.LOAD_NOW, bundle.baseColumn());
    assertEquals(5, bundle.stepMinutes());
    assertFalse(bundle.horizonAsFeature());
    assertEquals(NowcastBundle.QUANTILE_OBJECTIVE, bundle.objective());
    assertEquals(XgbNowcastModel.xgboostVersion(), bundle.xgboostVersion());
    assertEquals(margins, bundle.intervalMargins());
    // P50 boosters first (the first is model.ubj), each file serving the one horizon of its booster.
    assertEquals(List.of("model.ubj", "extra/h30_q50.ubj", "extra/h15_q10.ubj", "extra/h15_q90.ubj",
        "extra/h30_q10.ubj", "extra/h30_q90.ubj"), bundle.boosters().stream().map(BoosterFile::file).toList());
    assertFilesAreTheModelsBoosters(model, bundle);

    // The key order training wrote before NowcastBundle wrote its file.
    JsonNode json = new ObjectMapper().readTree(dir.resolve(NowcastBundle.FILE_NAME).toFile());
    assertEquals(List.of("format", "features", "horizons", "quantiles", "boosters", "target", "base_column",
        "step_minutes", "horizon_as_feature", "objective", "xgboost_version", "interval_calibration"),
        fieldNames(json));
    assertEquals(List.of("file", "outputs", "horizons"), fieldNames(json.get("boosters").get(0)));
    assertEquals(List.of("horizon", "lower", "upper", "region", "margin", "rows"),
        fieldNames(json.get("interval_calibration").get(0)));

    XgbNowcastModel loaded = XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS);
    assertFalse(loaded.horizonAsFeature());
    assertEquals(List.of(0.1, 0.9), loaded.quantiles());
    assertEquals(model.calibration().margins(), loaded.calibration().margins());
    assertSameBoosters(model, loaded);
  }

  @Test
  void aSharedPointModelWritesOneBoosterForEveryHorizon() throws Exception {
    List<String> features = new ArrayList<>(INPUT_NAMES.subList(0, 3));
    features.add(0, ModelInputs.HORIZON);
    XgbNowcastModel model = new XgbNowcastModel(INPUTS, features, HORIZONS, List.of(), true,
        Map.of(new Key(XgbNowcastModel.ALL_HORIZONS, XgbNowcastModel.POINT), booster(7)));
    model.writeBundle(dir);

    NowcastBundle bundle = NowcastBundle.read(dir);
    assertEquals(features, bundle.features());
    assertTrue(bundle.horizonAsFeature());
    assertEquals(NowcastBundle.POINT_OBJECTIVE, bundle.objective());
    assertEquals(List.of(0.5), bundle.quantiles());
    assertEquals(List.of(new BoosterFile(NowcastBundle.MAIN_BOOSTER, List.of(0.5), HORIZONS)), bundle.boosters());
    assertEquals(List.of(), bundle.intervalMargins());
    assertFilesAreTheModelsBoosters(model, bundle);
    assertFalse(new ObjectMapper().readTree(dir.resolve(NowcastBundle.FILE_NAME).toFile())
        .has("interval_calibration"));

    XgbNowcastModel loaded = XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS);
    assertTrue(loaded.horizonAsFeature());
    assertEquals(List.of(), loaded.quantiles());
    assertTrue(loaded.calibration().isEmpty());
    assertSameBoosters(model, loaded);
  }

  @Test
  void aBundleFromBeforeTheAdditiveKeysLoadsWithTheContractDefaults() throws Exception {
    writeBoosters("model.ubj", "extra/q10.ubj", "extra/q90.ubj");
    writeOldBundle(List.of(ModelInputs.HORIZON, "x_rel_lag_5m", "x_rel_lag_10m", "x_rel_lag_60m"), HORIZONS,
        LEVELS, """
        {"file": "model.ubj", "outputs": [0.5]},
        {"file": "extra/q10.ubj", "outputs": [0.1]},
        {"file": "extra/q90.ubj", "outputs": [0.9]}""");

    NowcastBundle bundle = NowcastBundle.read(dir);
    assertTrue(bundle.horizonAsFeature(), "horizon_min is an input");
    assertNull(bundle.objective());
    assertFalse(bundle.pointObjective());
    for (BoosterFile file : bundle.boosters()) {
      assertEquals(HORIZONS, file.horizons(), file.file());
    }
    assertEquals(List.of(new IntervalMargin(15, 0.1, 0.9, IntervalCalibration.POOLED, 0.002, 0)),
        bundle.intervalMargins());
    // Written again, the unknown objective stays absent rather than guessed.
    assertFalse(bundle.toJson().has("objective"));

    XgbNowcastModel loaded = XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS);
    assertTrue(loaded.horizonAsFeature());
    assertEquals(List.of(0.1, 0.9), loaded.quantiles());
    assertEquals(List.of(new IntervalMargin(15, 0.1, 0.9, IntervalCalibration.POOLED, 0.002, 0)),
        loaded.calibration().margins());
    for (int h : HORIZONS) {
      assertArrayEquals(reloadedUbj("extra/q10.ubj"), ubj(loaded.booster(h, 0.1)), "h" + h);
      assertArrayEquals(reloadedUbj("model.ubj"), ubj(loaded.booster(h, 0.5)), "h" + h);
    }
  }

  @Test
  void anOldPerHorizonBundleReadsItsBoostersAsServingItsHorizons() throws Exception {
    writeBoosters("model.ubj", "extra/h30_q50.ubj");
    List<String> features = INPUT_NAMES.subList(0, 3);
    writeOldBundle(features, List.of(30), List.of(0.5), """
        {"file": "model.ubj", "outputs": [0.5]}""");
    NowcastBundle bundle = NowcastBundle.read(dir);
    assertFalse(bundle.horizonAsFeature(), "no horizon_min among " + features);
    assertEquals(List.of(30), bundle.boosters().get(0).horizons());
    XgbNowcastModel loaded = XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS);
    assertFalse(loaded.horizonAsFeature());
    assertArrayEquals(reloadedUbj("model.ubj"), ubj(loaded.booster(30, 0.5)));

    // Two horizons without booster horizons: every booster would serve both, which cannot be right.
    writeOldBundle(features, HORIZONS, List.of(0.5), """
        {"file": "model.ubj", "outputs": [0.5]},
        {"file": "extra/h30_q50.ubj", "outputs": [0.5]}""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS));
    assertTrue(e.getMessage().contains("two boosters for h15 q0.5 (the second is extra/h30_q50.ubj)"),
        e.getMessage());
  }

  @Test
  void anotherFormatIsRefusedNamingTheFileAndTheFormat() throws Exception {
    // Written by hand: Hadoop's local file system would refuse the edited file by its .crc checksum.
    writeBoosters("model.ubj");
    writeOldBundle(INPUT_NAMES, List.of(15), List.of(0.5), """
        {"file": "model.ubj", "outputs": [0.5]}""");
    Path file = dir.resolve(NowcastBundle.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace(NowcastBundle.FORMAT, "power-nowcast-xgb/2"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> XgbNowcastModel.load(SparkTestSession.get(), dir.toUri().toString(), INPUTS));
    assertTrue(e.getMessage().contains(NowcastBundle.FILE_NAME + " has format 'power-nowcast-xgb/2', expected '"
        + NowcastBundle.FORMAT + "'"), e.getMessage());
  }

  /**
   * Each file of {@code bundle} is the model's booster for every horizon the file lists and its output
   * level, and the files together cover every horizon and level of the model.
   */
  private void assertFilesAreTheModelsBoosters(XgbNowcastModel model, NowcastBundle bundle) throws Exception {
    Set<Key> covered = new HashSet<>();
    for (BoosterFile file : bundle.boosters()) {
      assertEquals(1, file.outputs().size(), file.file());
      double q = file.outputs().get(0);
      byte[] written = Files.readAllBytes(dir.resolve(file.file()));
      for (int h : file.horizons()) {
        assertArrayEquals(ubj(model.booster(h, q)), written, file.file() + " as h" + h + " q" + q);
        assertTrue(covered.add(new Key(h, q)), "two files for h" + h + " q" + q);
      }
    }
    Set<Key> expected = new HashSet<>();
    List<Double> levels = model.quantiles().isEmpty() ? List.of(XgbNowcastModel.POINT) : LEVELS;
    model.horizons().forEach(h -> levels.forEach(q -> expected.add(new Key(h, q))));
    assertEquals(expected, covered);
  }

  private static void assertSameBoosters(XgbNowcastModel expected, XgbNowcastModel actual) throws Exception {
    assertEquals(expected.horizons(), actual.horizons());
    assertEquals(expected.features(), actual.features());
    for (int h : expected.horizons()) {
      for (double q : expected.quantiles().isEmpty() ? List.of(XgbNowcastModel.POINT) : LEVELS) {
        assertArrayEquals(ubj(expected.booster(h, q)), ubj(actual.booster(h, q)), "h" + h + " q" + q);
      }
    }
  }

  /** A bundle as written before the additive keys: no horizon_as_feature, objective, horizons or rows. */
  private void writeOldBundle(List<String> features, List<Integer> horizons, List<Double> quantiles,
      String boosters) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Files.writeString(dir.resolve(NowcastBundle.FILE_NAME), """
        {
          "format": "power-nowcast-xgb/1",
          "features": %s,
          "horizons": %s,
          "quantiles": %s,
          "boosters": [%s],
          "target": "relative_change",
          "base_column": "load_now",
          "step_minutes": 5,
          "xgboost_version": "3.4.0",
          "interval_calibration": [
            {"horizon": 15, "lower": 0.1, "upper": 0.9, "region": "*", "margin": 0.002}
          ]
        }
        """.formatted(json.writeValueAsString(features), json.writeValueAsString(horizons),
            json.writeValueAsString(quantiles), boosters));
  }

  /** Writes a different tiny booster to each of {@code files}. */
  private void writeBoosters(String... files) throws Exception {
    long seed = 20;
    for (String file : files) {
      Files.createDirectories(dir.resolve(file).getParent());
      Files.write(dir.resolve(file), TinyBoosters.point(seed++, 3).toByteArray("ubj"));
    }
  }

  /** The ubj form of the booster file {@code file} after a load, as {@link #ubj} gives a loaded booster's. */
  private byte[] reloadedUbj(String file) throws Exception {
    return XGBoost.loadModel(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(file)))).toByteArray("ubj");
  }

  /** A small real booster (four inputs), different for each seed, as {@link XgbNowcastModel#load} wraps one. */
  private static XGBoostRegressionModel booster(long seed) throws Exception {
    byte[] ubj = TinyBoosters.point(seed, 3).toByteArray("ubj");
    return XgbNowcastModel.wrap(XGBoost.loadModel(new ByteArrayInputStream(ubj)));
  }

  private static byte[] ubj(XGBoostRegressionModel model) throws Exception {
    return model.nativeBooster().toByteArray("ubj");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
