package io.nowcast.models.xgb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.scala.DMatrix;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XGBoost4J-Spark 3.4.0 traps (DESIGN §12): {@code setFeaturesCol(String[])} predicts a shifted column on
 * CPU, so we assemble one vector column and check Spark's {@code transform()} against the native booster;
 * {@code quantile_alpha} is dropped by the estimator, so we check the quantile boosters really differ and
 * cover; early stopping keeps trees past the best iteration, so we check they are cut.
 */
class XgbTrainerTest {
  private static final FeatureSpec SPEC = new FeatureSpec(5, List.of(5, 10, 60), List.of(), List.of(15, 30));
  private static final ModelInputs INPUTS = new ModelInputs(SPEC);
  @TempDir Path dir;

  @Test
  void sparkTransformEqualsNativeBoosterAndLearnsTheSignal() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> data = table(spark, 3000, 11L);
    XgbSettings settings = new XgbSettings(Map.of("objective", "reg:squarederror", "tree_method", "hist",
        "max_depth", 4, "eta", 0.3, "seed", 1), 60, 0, 0.0, 1, "cpu");
    XgbNowcastModel model = new XgbTrainer(settings).train(data, INPUTS);
    assertEquals(List.of("x_rel_lag_5m", "x_rel_lag_10m", "x_rel_lag_60m"), model.features());
    XGBoostRegressionModel h15 = model.booster(15, 0.5);

    Dataset<Row> prepared = INPUTS.prepare(data.limit(400));
    List<Row> rows = prepared.select("x_rel_lag_5m", "x_rel_lag_10m", "x_rel_lag_60m",
        ModelInputs.label(15), FeatureTable.LOAD_NOW).collectAsList();
    float[][] nativePredictions = h15.nativeBooster().predict(dmatrix(rows, 3), false, 0);
    List<Row> viaSpark = model.predict(data.limit(400))
        .select(XgbNowcastModel.forecastColumn(15)).collectAsList();

    double squaredError = 0;
    double variance = 0;
    for (int i = 0; i < rows.size(); i++) {
      double loadNow = rows.get(i).getDouble(4);
      double spark15 = viaSpark.get(i).getDouble(0) / loadNow - 1;
      assertEquals(nativePredictions[i][0], spark15, 1e-6, "row " + i);
      double label = rows.get(i).getDouble(3);
      squaredError += Math.pow(spark15 - label, 2);
      variance += label * label;
    }
    // The label is a nonlinear function of all three inputs; a model predicting from one shifted input
    // would explain little of it.
    assertTrue(squaredError < 0.1 * variance, "R2 too low: " + (1 - squaredError / variance));
  }

  @Test
  void quantileBoostersCoverDoNotCrossAndSurviveTheBundle() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> data = table(spark, 3000, 5L);
    XgbSettings settings = new XgbSettings(Map.of("tree_method", "hist", "max_depth", 3, "eta", 0.2,
        "seed", 1), 80, 0, 0.0, 1, "cpu", List.of(0.1, 0.5, 0.9), true, 1.0);
    XgbNowcastModel model = new XgbTrainer(settings).train(data, INPUTS);
    assertEquals(ModelInputs.HORIZON, model.features().get(0));

    Dataset<Row> scored = model.predict(data).cache();
    for (int h : List.of(15, 30)) {
      String p10 = ForecastModel.quantileColumn(XgbNowcastModel.NAME, h, 0.1);
      String p50 = XgbNowcastModel.forecastColumn(h);
      String p90 = ForecastModel.quantileColumn(XgbNowcastModel.NAME, h, 0.9);
      Row stats = scored.selectExpr(
          "avg(CASE WHEN " + FeatureTable.target(h) + " BETWEEN " + p10 + " AND " + p90 + " THEN 1.0D ELSE 0.0D END)",
          "sum(CASE WHEN " + p10 + " <= " + p50 + " AND " + p50 + " <= " + p90 + " THEN 0 ELSE 1 END)",
          "avg(" + p90 + " - " + p10 + ")").first();
      assertEquals(0L, stats.getLong(1), "crossing quantiles at h" + h);
      // In-sample coverage of an 80% interval; quantile_alpha dropped would give a zero-width band.
      assertTrue(stats.getDouble(0) > 0.65 && stats.getDouble(0) < 0.95, "coverage h" + h + ": " + stats);
      assertTrue(stats.getDouble(2) > 1.0, "band width h" + h + ": " + stats);
    }

    Path bundle = dir.resolve("bundle");
    model.writeBundle(bundle);
    JsonNode json = new ObjectMapper().readTree(bundle.resolve(NowcastBundle.FILE_NAME).toFile());
    assertEquals("power-nowcast-xgb/1", json.get("format").asText());
    assertEquals("horizon_min", json.get("features").get(0).asText());
    assertEquals(NowcastBundle.MAIN_BOOSTER, json.get("boosters").get(0).get("file").asText());
    assertEquals(0.5, json.get("boosters").get(0).get("outputs").get(0).asDouble());
    assertEquals(3, json.get("boosters").size());
    assertTrue(Files.size(bundle.resolve(NowcastBundle.MAIN_BOOSTER)) > 0);

    XgbNowcastModel loaded = XgbNowcastModel.load(spark, bundle.toUri().toString(), INPUTS);
    List<String> columns = List.of(XgbNowcastModel.forecastColumn(30),
        ForecastModel.quantileColumn(XgbNowcastModel.NAME, 30, 0.1));
    assertEquals(scored.limit(50).select(columns.get(0), columns.get(1)).collectAsList(),
        loaded.predict(data.limit(50)).select(columns.get(0), columns.get(1)).collectAsList());
    scored.unpersist();
  }

  @Test
  void earlyStoppingKeepsNoTreePastTheBestIteration() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> data = table(spark, 2000, 3L);
    // A high learning rate overfits quickly, so early stopping triggers well before num_round.
    XgbSettings settings = new XgbSettings(Map.of("objective", "reg:squarederror", "tree_method", "hist",
        "max_depth", 8, "eta", 0.9, "seed", 1, "min_child_weight", 0.0), 200, 5, 0.3, 1, "cpu");
    XgbNowcastModel model = new XgbTrainer(settings).train(data, INPUTS);
    XGBoostRegressionModel h15 = model.booster(15, 0.5);
    String best = h15.nativeBooster().getAttr(BoosterTrim.BEST_ITERATION);
    long rounds = h15.nativeBooster().getNumBoostedRound();
    assertTrue(best != null && rounds < 200, "early stopping should have run: " + rounds + " rounds");
    assertEquals(Integer.parseInt(best) + 1, rounds, "trees after the best iteration must be cut");
  }

  @Test
  void calibrationBringsEachSeriesCoverageToTheNominalEightyPercent() throws Exception {
    SparkSession spark = SparkTestSession.get();
    // Two series the booster cannot tell apart (no region input) with 10x different noise: one shared
    // band is too wide for the quiet one and too narrow for the noisy one.
    Dataset<Row> train = table(spark, 2500, 21L, "QUIET", 0.001, 0)
        .union(table(spark, 2500, 22L, "NOISY", 0.01, 0));
    Dataset<Row> test = table(spark, 2500, 23L, "QUIET", 0.001, 2500)
        .union(table(spark, 2500, 24L, "NOISY", 0.01, 2500)).cache();
    XgbSettings settings = new XgbSettings(Map.of("tree_method", "hist", "max_depth", 3, "eta", 0.2,
        "seed", 1), 80, 0, 0.3, 1, "cpu", List.of(0.1, 0.5, 0.9), true, 1.0, true);
    XgbNowcastModel model = new XgbTrainer(settings).train(train, INPUTS);
    XgbNowcastModel raw = model.withCalibration(IntervalCalibration.none());
    assertTrue(model.calibration().margins().stream().anyMatch(m -> m.region().equals("QUIET") && m.margin() < 0),
        "the quiet series' band must narrow: " + model.calibration().margins());
    assertTrue(model.calibration().margins().stream().anyMatch(m -> m.region().equals("NOISY") && m.margin() > 0),
        "the noisy series' band must widen: " + model.calibration().margins());

    Dataset<Row> calibrated = model.predict(test).cache();
    Dataset<Row> uncalibrated = raw.predict(test).cache();
    String p10 = ForecastModel.quantileColumn(XgbNowcastModel.NAME, 15, 0.1);
    String p50 = XgbNowcastModel.forecastColumn(15);
    String p90 = ForecastModel.quantileColumn(XgbNowcastModel.NAME, 15, 0.9);
    String covered = "avg(CASE WHEN " + FeatureTable.target(15) + " BETWEEN " + p10 + " AND " + p90
        + " THEN 1.0D ELSE 0.0D END)";
    for (String region : List.of("QUIET", "NOISY")) {
      double before = uncalibrated.where(FeatureTable.REGION + " = '" + region + "'").selectExpr(covered)
          .first().getDouble(0);
      double after = calibrated.where(FeatureTable.REGION + " = '" + region + "'").selectExpr(covered)
          .first().getDouble(0);
      assertTrue(Math.abs(before - 0.8) > 0.08, region + " should start miscalibrated: " + before);
      assertTrue(Math.abs(after - 0.8) < 0.05, region + " held-out coverage " + after + " (was " + before + ")");
    }
    // The point forecast is the booster's; only the band moves, and it never crosses the P50.
    assertEquals(uncalibrated.select(p50).collectAsList(), calibrated.select(p50).collectAsList());
    assertEquals(0L, calibrated.where(p10 + " > " + p50 + " OR " + p50 + " > " + p90).count());

    Path bundle = dir.resolve("calibrated");
    model.writeBundle(bundle);
    XgbNowcastModel loaded = XgbNowcastModel.load(spark, bundle.toUri().toString(), INPUTS);
    assertEquals(model.calibration().margins(), loaded.calibration().margins());
    assertEquals(calibrated.select(p10, p90).limit(100).collectAsList(),
        loaded.predict(test).select(p10, p90).limit(100).collectAsList());
    calibrated.unpersist();
    uncalibrated.unpersist();
    test.unpersist();
  }

  private static DMatrix dmatrix(List<Row> rows, int columns) throws Exception {
    float[] matrix = new float[rows.size() * columns];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < columns; j++) {
        matrix[i * columns + j] = (float) rows.get(i).getDouble(j);
      }
    }
    return new DMatrix(matrix, rows.size(), columns, Float.NaN);
  }

  /**
   * Feature rows whose relative change ahead depends nonlinearly on all three lags, plus noise that
   * grows with the horizon.
   */
  private static Dataset<Row> table(SparkSession spark, int n, long seed) {
    return table(spark, n, seed, "R", 0.002, 0);
  }

  /** As above for one region, with noise {@code noise} at 15 min, from step {@code offset} on. */
  private static Dataset<Row> table(SparkSession spark, int n, long seed, String region, double noise,
      int offset) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime();
    for (int i = 0; i < n; i++) {
      double now = 1000 + 200 * random.nextDouble();
      double a = random.nextGaussian() * 0.02;
      double b = random.nextGaussian() * 0.02;
      double c = random.nextDouble() * 0.1 - 0.05;
      double signal = Math.sin(60 * a) * 0.02 + 10 * b * b + c / 2;
      double y15 = now * (1 + signal + random.nextGaussian() * noise);
      double y30 = now * (1 + 1.5 * signal + random.nextGaussian() * 2 * noise);
      rows.add(RowFactory.create(region, new Timestamp(start + (offset + i) * 300_000L), now, now * (1 + a), now * (1 + b),
          now * (1 + c), y15, y30));
    }
    StructType schema = new StructType()
        .add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType)
        .add(FeatureTable.LOAD_NOW, DataTypes.DoubleType)
        .add(FeatureTable.lag(5), DataTypes.DoubleType)
        .add(FeatureTable.lag(10), DataTypes.DoubleType)
        .add(FeatureTable.lag(60), DataTypes.DoubleType)
        .add(FeatureTable.target(15), DataTypes.DoubleType)
        .add(FeatureTable.target(30), DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
