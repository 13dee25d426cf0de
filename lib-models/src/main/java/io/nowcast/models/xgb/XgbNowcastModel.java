package io.nowcast.models.xgb;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.models.tracking.NowcastBundle.BoosterFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.XGBoost;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * The trained XGBoost nowcaster: boosters keyed by horizon (or one for all horizons, with {@code
 * horizon_min} as an input) and quantile level, over the scale-free inputs of {@link ModelInputs}. It
 * predicts through XGBoost4J-Spark's {@code transform()} on one assembled vector column (DESIGN §12) and
 * saves as the model bundle of {@code docs/contracts/model-bundle.md}: {@code nowcast-bundle.json}
 * (described by {@link NowcastBundle}), {@code model.ubj} (a P50 booster) and {@code extra/*.ubj}, on any
 * Hadoop file system.
 *
 * <p>Quantile forecasts are sorted per row (non-crossing): the boosters are trained independently and
 * can cross where data are thin.
 */
public final class XgbNowcastModel implements ForecastModel {
  /** The model's name in metrics, columns and MLflow. */
  public static final String NAME = "xgboost";
  /** A booster's key when it serves every horizon. */
  static final int ALL_HORIZONS = 0;
  /** The quantile key of a point (squared-error) booster. */
  static final double POINT = 0.5;

  private final ModelInputs inputs;
  private final List<String> features;
  private final List<Integer> horizons;
  private final List<Double> quantiles;
  private final boolean horizonAsFeature;
  private final Map<Key, XGBoostRegressionModel> boosters;
  private final IntervalCalibration calibration;

  /** A booster's place: its horizon ({@link #ALL_HORIZONS} for one shared booster) and quantile. */
  record Key(int horizon, double quantile) {}

  XgbNowcastModel(ModelInputs inputs, List<String> features, List<Integer> horizons,
      List<Double> quantiles, boolean horizonAsFeature, Map<Key, XGBoostRegressionModel> boosters) {
    this(inputs, features, horizons, quantiles, horizonAsFeature, boosters, IntervalCalibration.none());
  }

  XgbNowcastModel(ModelInputs inputs, List<String> features, List<Integer> horizons,
      List<Double> quantiles, boolean horizonAsFeature, Map<Key, XGBoostRegressionModel> boosters,
      IntervalCalibration calibration) {
    this.calibration = calibration;
    this.inputs = inputs;
    this.features = List.copyOf(features);
    this.horizons = List.copyOf(horizons);
    this.quantiles = List.copyOf(quantiles);
    this.horizonAsFeature = horizonAsFeature;
    this.boosters = new LinkedHashMap<>(boosters);
    for (int horizon : horizons) {
      for (double q : levels()) {
        if (booster(horizon, q) == null) {
          throw new IllegalArgumentException("no booster for h" + horizon + " q" + q);
        }
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Integer> horizons() {
    return horizons;
  }

  /** The quantile levels besides the point forecast (P50). */
  @Override
  public List<Double> quantiles() {
    return quantiles.stream().filter(q -> q != POINT).toList();
  }

  /** The booster input names in vector order (column i of the DMatrix is {@code features().get(i)}). */
  public List<String> features() {
    return features;
  }

  public boolean horizonAsFeature() {
    return horizonAsFeature;
  }

  /** The per-series interval margins applied after the boosters (empty: none). */
  public IntervalCalibration calibration() {
    return calibration;
  }

  /** The same boosters with {@code calibration} applied to the quantile intervals. */
  XgbNowcastModel withCalibration(IntervalCalibration calibration) {
    return new XgbNowcastModel(inputs, features, horizons, quantiles, horizonAsFeature, boosters,
        calibration);
  }

  /** The Spark model of {@code horizon} and quantile {@code q} (0.5 for the point booster). */
  public XGBoostRegressionModel booster(int horizon, double q) {
    return boosters.get(new Key(horizonAsFeature ? ALL_HORIZONS : horizon, q));
  }

  /** Name of the point forecast column of {@code horizon}. */
  public static String forecastColumn(int horizon) {
    return ForecastModel.forecastColumn(NAME, horizon);
  }

  /**
   * Adds {@code xgboost_h<h>} (P50, MW) and {@code xgboost_h<h>_p<q>} for every horizon and quantile to
   * rows of the features table: {@code load_now × (1 + relative change predicted)}. Derived input
   * columns ({@code x_*}, {@code horizon_min}) are computed per horizon and dropped again.
   */
  @Override
  public Dataset<Row> predict(Dataset<Row> rows) {
    List<String> before = Arrays.asList(rows.columns());
    Dataset<Row> out = rows;
    List<Double> levels = levels();
    for (int horizon : horizons) {
      Dataset<Row> x = FeatureVectors.assemble(inputs.forHorizon(out, horizon), features);
      List<Column> relative = new ArrayList<>();
      for (int i = 0; i < levels.size(); i++) {
        String column = "_xgb_q" + i;
        XGBoostRegressionModel model = booster(horizon, levels.get(i)).copy(new ParamMap());
        model.setPredictionCol(column);
        x = model.transform(x);
        relative.add(col(column));
      }
      // Non-crossing: the i-th smallest of the row's predictions is the i-th quantile.
      Column sorted = calibrated(sort_array(array(relative.toArray(Column[]::new))), horizon, levels);
      Map<String, Column> forecasts = new LinkedHashMap<>();
      for (int i = 0; i < levels.size(); i++) {
        Column mw = col(FeatureTable.LOAD_NOW).multiply(lit(1.0).plus(element_at(sorted, i + 1)));
        double q = levels.get(i);
        forecasts.put(q == POINT ? forecastColumn(horizon) : ForecastModel.quantileColumn(NAME, horizon, q), mw);
      }
      out = x.withColumns(forecasts);
      for (int i = 0; i < levels.size(); i++) {
        out = out.drop("_xgb_q" + i);
      }
      out = out.drop(FeatureVectors.COLUMN);
    }
    for (String column : out.columns()) {
      boolean derived = column.startsWith(ModelInputs.PREFIX) || column.equals(ModelInputs.HORIZON);
      if (derived && !before.contains(column)) {
        out = out.drop(column);
      }
    }
    return out;
  }

  /**
   * The sorted relative quantiles with the calibration margins applied: each lower level of a
   * calibrated pair moves down by its margin (up when negative) and the upper level up, neither past
   * the P50, which never changes; sorted again so the levels stay in order.
   */
  private Column calibrated(Column sorted, int horizon, List<Double> levels) {
    if (calibration.isEmpty() || !levels.contains(POINT)) {
      return sorted;
    }
    Column median = element_at(sorted, levels.indexOf(POINT) + 1);
    Column[] adjusted = new Column[levels.size()];
    for (int i = 0; i < levels.size(); i++) {
      adjusted[i] = element_at(sorted, i + 1);
    }
    for (double[] pair : IntervalCalibration.pairs(levels)) {
      Column margin = calibration.margin(horizon, pair[0]);
      int lower = levels.indexOf(pair[0]);
      int upper = levels.indexOf(pair[1]);
      adjusted[lower] = least(adjusted[lower].minus(margin), median);
      adjusted[upper] = greatest(adjusted[upper].plus(margin), median);
    }
    return sort_array(array(adjusted));
  }

  /** The booster quantile levels in ascending order ([0.5] for a point model). */
  private List<Double> levels() {
    return quantiles.isEmpty() ? List.of(POINT) : quantiles.stream().sorted().toList();
  }

  /** Saves the bundle under {@code dir} (file: or s3a:), overwriting. */
  @Override
  public void save(SparkSession spark, String dir) throws IOException {
    save(spark.sparkContext().hadoopConfiguration(), dir);
  }

  /**
   * Writes the model bundle of docs/contracts/model-bundle.md into the local directory {@code dir}
   * (created when missing): {@code model.ubj}, {@code extra/*.ubj}, {@code nowcast-bundle.json}. The
   * registry wraps MLflow's {@code MLmodel} and environment files around it.
   */
  public void writeBundle(java.nio.file.Path dir) throws IOException {
    save(new Configuration(), dir.toAbsolutePath().toUri().toString());
  }

  private void save(Configuration hadoop, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    if (fs.exists(root)) {
      fs.delete(root, true);
    }
    fs.mkdirs(root);
    List<BoosterFile> files = new ArrayList<>();
    for (Map.Entry<Key, XGBoostRegressionModel> booster : ordered()) {
      Key key = booster.getKey();
      // ordered() puts the P50 boosters first: the first one becomes model.ubj.
      String file = files.isEmpty() && key.quantile() == POINT ? NowcastBundle.MAIN_BOOSTER
          : "extra/" + (key.horizon() == ALL_HORIZONS ? "" : "h" + key.horizon() + "_")
              + "q" + Math.round(key.quantile() * 100) + ".ubj";
      try (OutputStream out = fs.create(new Path(root, file), true)) {
        out.write(booster.getValue().nativeBooster().toByteArray("ubj"));
      } catch (XGBoostError e) {
        throw new IOException("cannot serialise the booster " + file + ": " + e.getMessage(), e);
      }
      files.add(new BoosterFile(file, List.of(key.quantile()),
          key.horizon() == ALL_HORIZONS ? horizons : List.of(key.horizon())));
    }
    try (OutputStream out = fs.create(new Path(root, NowcastBundle.FILE_NAME), true)) {
      bundle(files).write(out);
    }
  }

  /** The bundle metadata of this model, whose boosters are written as {@code files}. */
  private NowcastBundle bundle(List<BoosterFile> files) {
    return new NowcastBundle(features, horizons, quantiles.isEmpty() ? List.of(POINT) : quantiles, files,
        NowcastBundle.RELATIVE_CHANGE, FeatureTable.LOAD_NOW, inputs.spec().stepMinutes(), horizonAsFeature,
        quantiles.isEmpty() ? NowcastBundle.POINT_OBJECTIVE : NowcastBundle.QUANTILE_OBJECTIVE,
        xgboostVersion(), calibration.margins());
  }

  /** The P50 boosters first (so model.ubj is one), then the rest in key order. */
  private List<Map.Entry<Key, XGBoostRegressionModel>> ordered() {
    List<Map.Entry<Key, XGBoostRegressionModel>> list = new ArrayList<>(boosters.entrySet());
    list.sort((a, b) -> {
      int byPoint = Boolean.compare(b.getKey().quantile() == POINT, a.getKey().quantile() == POINT);
      if (byPoint != 0) {
        return byPoint;
      }
      int byHorizon = Integer.compare(a.getKey().horizon(), b.getKey().horizon());
      return byHorizon != 0 ? byHorizon : Double.compare(a.getKey().quantile(), b.getKey().quantile());
    });
    return list;
  }

  /**
   * Loads a bundle written by {@link #save} (or before its additive keys existed, with {@link
   * NowcastBundle}'s defaults); {@code inputs} derives the booster inputs from features.
   *
   * @throws IllegalArgumentException when {@code dir} holds no bundle, one of another format, or two
   *     boosters for the same horizon and quantile
   */
  public static XgbNowcastModel load(SparkSession spark, String dir, ModelInputs inputs) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    Path bundleFile = new Path(root, NowcastBundle.FILE_NAME);
    if (!fs.exists(bundleFile)) {
      throw new IllegalArgumentException(
          "no XGBoost model bundle at " + dir + " (run `nowcast train` first)");
    }
    NowcastBundle bundle;
    try (InputStream in = fs.open(bundleFile)) {
      bundle = NowcastBundle.read(in, bundleFile.toString());
    }
    Map<Key, XGBoostRegressionModel> boosters = new LinkedHashMap<>();
    List<Double> quantiles = new ArrayList<>();
    for (BoosterFile file : bundle.boosters()) {
      double q = file.outputs().get(0);
      if (!quantiles.contains(q)) {
        quantiles.add(q);
      }
      Booster booster;
      try (InputStream in = fs.open(new Path(root, file.file()))) {
        booster = XGBoost.loadModel(in);
      } catch (XGBoostError e) {
        throw new IOException("cannot read booster " + file.file() + ": " + e.getMessage(), e);
      }
      XGBoostRegressionModel model = wrap(booster);
      for (int horizon : bundle.horizonAsFeature() ? List.of(ALL_HORIZONS) : file.horizons()) {
        // A per-horizon bundle from before booster horizons were written reads as every booster
        // serving every horizon: refuse it rather than keep whichever booster came last.
        if (boosters.put(new Key(horizon, q), model) != null) {
          throw new IllegalArgumentException(bundleFile + ": two boosters for "
              + (horizon == ALL_HORIZONS ? "all horizons" : "h" + horizon) + " q" + q
              + " (the second is " + file.file() + ")");
        }
      }
    }
    quantiles.sort(Double::compare);
    return new XgbNowcastModel(inputs, bundle.features(), bundle.horizons(),
        bundle.pointObjective() ? List.of() : quantiles, bundle.horizonAsFeature(), boosters,
        IntervalCalibration.of(bundle.intervalMargins()));
  }

  /** A Spark model around a native booster, reading the assembled vector column. */
  static XGBoostRegressionModel wrap(Booster booster) {
    XGBoostRegressionModel model = new XGBoostRegressionModel(
        org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("xgbr"), booster, Option.empty());
    model.setFeaturesCol(FeatureVectors.COLUMN);
    return model;
  }

  /** XGBoost's version, from the version file XGBoost4J ships. */
  static String xgboostVersion() {
    try (InputStream in = XGBoost.class.getClassLoader().getResourceAsStream("xgboost4j-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown").trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
