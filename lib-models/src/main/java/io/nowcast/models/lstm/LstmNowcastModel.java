package io.nowcast.models.lstm;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained LSTM nowcast model ({@value #NAME}): its weights (DJL parameter bytes) and {@link
 * LstmMeta}. {@link #predict} is batch inference over a DataFrame: the lookback sequences are Spark
 * window expressions, then {@code mapPartitions} loads the network once per partition and scores the
 * rows in batches (the DJL Spark extension is not in the registry we use).
 *
 * <p>Saved as a directory on any Hadoop file system (file:, s3a:): {@value #PARAMS_FILE} (DJL's
 * parameter format) and {@value #CONFIG_FILE} (format {@value LstmMeta#FORMAT}).
 *
 * <p>History: a row's lookback reads the {@code lookback_steps − 1} rows before it in the DataFrame
 * given to {@link #predict}. To forecast from the first row of a time slice with a full lookback, pass
 * {@link #historyMinutes()} more minutes of rows before it; without them the early steps are masked
 * as missing (the forecast is still made, from less history).
 */
public final class LstmNowcastModel implements ForecastModel {
  /** The model's name in columns, metrics and MLflow. */
  public static final String NAME = "lstm";
  public static final String PARAMS_FILE = "lstm.params";
  public static final String CONFIG_FILE = "lstm.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final LstmMeta meta;
  private final byte[] parameters;

  LstmNowcastModel(LstmMeta meta, byte[] parameters) {
    this.meta = meta;
    this.parameters = parameters.clone();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Integer> horizons() {
    return meta.horizons();
  }

  /** The saved metadata: shape, inputs, scaler, settings, training report. */
  public LstmMeta meta() {
    return meta;
  }

  /** What training did (windows, epochs, time, whether the budget stopped it). */
  public LstmTrainingReport report() {
    return meta.report();
  }

  /** Minutes of rows before a row that its full lookback reads. */
  public int historyMinutes() {
    return (meta.shape().lookbackSteps() - 1) * meta.stepMinutes();
  }

  /** The batch size of inference (the training batch size). */
  int batchSize() {
    return Integer.parseInt(meta.settings().getOrDefault(LstmSettings.BATCH_SIZE,
        String.valueOf(LstmSettings.BATCH_SIZE_DEFAULT)));
  }

  /**
   * {@code features} (rows of the features table: region, issue_ts, load_now and the columns of the
   * static inputs) with {@code lstm_h<h>} (MW) added for every horizon; null where the load at issue
   * time is missing. Lazy: nothing runs until an action.
   */
  @Override
  public Dataset<Row> predict(Dataset<Row> features) {
    List<String> columns = Arrays.asList(features.columns());
    StructType schema = features.schema();
    for (int horizon : horizons()) {
      String column = ForecastModel.forecastColumn(NAME, horizon);
      if (columns.contains(column)) {
        throw new IllegalArgumentException("the features already have a column " + column);
      }
      schema = schema.add(column, DataTypes.DoubleType, true);
    }
    if (!columns.contains(FeatureTable.LOAD_NOW)) {
      throw new IllegalArgumentException("the features lack " + FeatureTable.LOAD_NOW);
    }
    Dataset<Row> windows = LstmWindows.withInputs(features, meta.featureSpec(),
        meta.shape().lookbackSteps(), meta.staticInputs(), false);
    List<Column> select = new ArrayList<>();
    columns.forEach(c -> select.add(col(c)));
    select.add(col(LstmWindows.SEQUENCE));
    select.add(col(LstmWindows.STATIC));
    LstmPartitionScorer scorer = new LstmPartitionScorer(meta, parameters, columns.size(),
        columns.indexOf(FeatureTable.LOAD_NOW), columns.size(), columns.size() + 1, batchSize());
    return windows.select(select.toArray(Column[]::new)).mapPartitions(scorer, Encoders.row(schema));
  }

  /**
   * Forecasts (MW) on the driver for raw windows (inputs only, see {@link RawWindow}): what {@link
   * #predict} computes per partition, for tests and small interactive use.
   */
  double[][] forecastLocally(List<float[]> raws, double[] loadNow) {
    try (LstmScorer scorer = new LstmScorer(meta, parameters, DjlRuntime.device())) {
      return scorer.forecast(raws, loadNow, batchSize());
    }
  }

  @Override
  public void save(SparkSession spark, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(root);
    try (OutputStream out = fs.create(new Path(root, PARAMS_FILE), true)) {
      out.write(parameters);
    }
    try (OutputStream out = fs.create(new Path(root, CONFIG_FILE), true)) {
      out.write(JSON.writeValueAsBytes(meta));
    }
  }

  /** Loads a model written by {@link #save} from {@code dir} (file: or s3a:). */
  public static LstmNowcastModel load(SparkSession spark, String dir) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    Path config = new Path(root, CONFIG_FILE);
    if (!fs.exists(config)) {
      throw new IllegalArgumentException(
          "no trained LSTM model at " + dir + " (" + CONFIG_FILE + " is missing)");
    }
    LstmMeta meta;
    try (InputStream in = fs.open(config)) {
      meta = JSON.readValue(in, LstmMeta.class);
    }
    if (!LstmMeta.FORMAT.equals(meta.format())) {
      throw new IllegalArgumentException(
          dir + " holds an LSTM model of format " + meta.format() + ", expected " + LstmMeta.FORMAT);
    }
    byte[] parameters;
    try (InputStream in = fs.open(new Path(root, PARAMS_FILE))) {
      parameters = in.readAllBytes();
    }
    return new LstmNowcastModel(meta, parameters);
  }
}
