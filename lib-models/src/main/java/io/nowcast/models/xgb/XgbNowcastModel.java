package io.nowcast.models.xgb;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.features.FeatureTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The trained XGBoost models, one per horizon, with the names of their inputs in vector order.
 * Saved as a directory: {@code inputs.txt} and one Spark ML model directory {@code h<h>} per horizon
 * (which also holds XGBoost's own model file), on any Hadoop file system (file:, s3a:).
 */
public final class XgbNowcastModel {
  private static final String INPUTS_FILE = "inputs.txt";

  private final List<String> inputNames;
  private final Map<Integer, XGBoostRegressionModel> byHorizon;

  public XgbNowcastModel(List<String> inputNames, Map<Integer, XGBoostRegressionModel> byHorizon) {
    this.inputNames = List.copyOf(inputNames);
    this.byHorizon = new LinkedHashMap<>(byHorizon);
  }

  public List<String> inputNames() {
    return inputNames;
  }

  public Map<Integer, XGBoostRegressionModel> byHorizon() {
    return byHorizon;
  }

  /** Name of the forecast column of {@code horizon}. */
  public static String forecastColumn(int horizon) {
    return "xgb_h" + horizon;
  }

  /**
   * Adds {@code xgb_h<h>} (MW) for every horizon to {@code prepared}: {@code load_now × (1 + relative
   * change predicted)}.
   */
  public Dataset<Row> predict(Dataset<Row> prepared) {
    Dataset<Row> out = FeatureVectors.assemble(prepared, inputNames);
    for (Map.Entry<Integer, XGBoostRegressionModel> entry : byHorizon.entrySet()) {
      String relative = "_rel_h" + entry.getKey();
      XGBoostRegressionModel model = entry.getValue().copy(new org.apache.spark.ml.param.ParamMap());
      model.setPredictionCol(relative);
      out = model.transform(out)
          .withColumn(forecastColumn(entry.getKey()),
              col(FeatureTable.LOAD_NOW).multiply(lit(1.0).plus(col(relative))))
          .drop(relative);
    }
    return out.drop(FeatureVectors.COLUMN);
  }

  /** Saves under {@code dir} (overwriting). */
  public void save(SparkSession spark, String dir) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    fs.mkdirs(root);
    try (FSDataOutputStream out = fs.create(new Path(root, INPUTS_FILE), true)) {
      out.write(String.join("\n", inputNames).getBytes(StandardCharsets.UTF_8));
    }
    for (Map.Entry<Integer, XGBoostRegressionModel> entry : byHorizon.entrySet()) {
      entry.getValue().write().overwrite().save(new Path(root, "h" + entry.getKey()).toString());
    }
  }

  /** Loads a model saved by {@link #save} for {@code horizons}. */
  public static XgbNowcastModel load(SparkSession spark, String dir, List<Integer> horizons)
      throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    Path inputs = new Path(root, INPUTS_FILE);
    if (!fs.exists(inputs)) {
      throw new IllegalArgumentException(
          "no trained XGBoost model at " + dir + " (run `nowcast train` first)");
    }
    List<String> names = new ArrayList<>();
    try (var in = fs.open(inputs)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          names.add(line.trim());
        }
      }
    }
    Map<Integer, XGBoostRegressionModel> models = new LinkedHashMap<>();
    for (int horizon : horizons) {
      models.put(horizon, XGBoostRegressionModel.read().load(new Path(root, "h" + horizon).toString()));
    }
    return new XgbNowcastModel(names, models);
  }
}
