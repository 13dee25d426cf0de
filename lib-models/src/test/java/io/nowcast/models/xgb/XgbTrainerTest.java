package io.nowcast.models.xgb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ModelInputs;
import io.nowcast.testing.SparkTestSession;
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
 * XGBoost4J-Spark 3.4.0 trap (DESIGN §12): {@code setFeaturesCol(String[])} predicts a shifted column on
 * CPU. We assemble one vector column; this test proves Spark's {@code transform()} agrees with the native
 * booster on the same rows, and that the model learned the signal (not one input's value).
 */
class XgbTrainerTest {
  private static final List<String> INPUTS = List.of("x_a", "x_b", "x_c");
  @TempDir Path dir;

  @Test
  void sparkTransformEqualsNativeBoosterAndSurvivesSaveLoad() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> data = table(spark, 3000, 11L);
    XgbSettings settings = new XgbSettings(Map.of("objective", "reg:squarederror", "tree_method", "hist",
        "max_depth", 4, "eta", 0.3, "seed", 1), 60, 0, 0.0, 1, "cpu");
    XgbNowcastModel model = new XgbTrainer(settings).train(data, INPUTS, List.of(15));
    XGBoostRegressionModel h15 = model.byHorizon().get(15);

    List<Row> rows = FeatureVectors.assemble(data.limit(400), INPUTS)
        .select("x_a", "x_b", "x_c", ModelInputs.label(15)).collectAsList();
    float[] matrix = new float[rows.size() * INPUTS.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < INPUTS.size(); j++) {
        matrix[i * INPUTS.size() + j] = (float) rows.get(i).getDouble(j);
      }
    }
    float[][] native_ = h15.nativeBooster().predict(
        new DMatrix(matrix, rows.size(), INPUTS.size(), Float.NaN), false, 0);
    h15.setPredictionCol("pred");
    List<Row> viaSpark = h15.transform(FeatureVectors.assemble(data.limit(400), INPUTS))
        .select("pred", ModelInputs.label(15)).collectAsList();

    double squaredError = 0;
    double variance = 0;
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(native_[i][0], viaSpark.get(i).getDouble(0), 1e-6, "row " + i);
      double label = viaSpark.get(i).getDouble(1);
      squaredError += Math.pow(viaSpark.get(i).getDouble(0) - label, 2);
      variance += label * label;
    }
    // The label is a nonlinear function of all three inputs; a model predicting from one shifted input
    // would explain little of it.
    assertTrue(squaredError < 0.1 * variance, "R2 too low: " + (1 - squaredError / variance));

    String path = dir.resolve("model").toString();
    model.save(spark, path);
    XgbNowcastModel loaded = XgbNowcastModel.load(spark, path, List.of(15));
    assertEquals(INPUTS, loaded.inputNames());
    List<Row> before = model.predict(data.limit(50)).select(XgbNowcastModel.forecastColumn(15)).collectAsList();
    List<Row> after = loaded.predict(data.limit(50)).select(XgbNowcastModel.forecastColumn(15)).collectAsList();
    assertEquals(before, after);
  }

  /** Rows of three inputs of different scales and a label that depends on all of them. */
  private static Dataset<Row> table(SparkSession spark, int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime();
    for (int i = 0; i < n; i++) {
      double a = random.nextDouble() * 10;
      double b = random.nextGaussian();
      double c = random.nextDouble() * 1000;
      double label = Math.sin(a) + 0.5 * b * b + c / 500;
      double loadNow = 1000;
      rows.add(RowFactory.create("R", new Timestamp(start + i * 300_000L), a, b, c, label, loadNow));
    }
    StructType schema = new StructType()
        .add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType)
        .add("x_a", DataTypes.DoubleType).add("x_b", DataTypes.DoubleType).add("x_c", DataTypes.DoubleType)
        .add(ModelInputs.label(15), DataTypes.DoubleType)
        .add(FeatureTable.LOAD_NOW, DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
