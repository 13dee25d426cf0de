package io.nowcast.models.baseline;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A naive anchor as a {@link ForecastModel}: persistence (the load at issue time) or seasonal naive (the
 * load at the target time one day or one week earlier: lags {@code 1 d − h} and {@code 1 w − h}, both at
 * or before issue time). Nothing to train; {@link #save} writes only its name.
 */
public final class BaselineModel implements ForecastModel {
  private final String name;
  private final int periodMinutes;
  private final List<Integer> horizons;

  private BaselineModel(String name, int periodMinutes, List<Integer> horizons) {
    this.name = name;
    this.periodMinutes = periodMinutes;
    this.horizons = List.copyOf(horizons);
  }

  public static BaselineModel persistence(List<Integer> horizons) {
    return new BaselineModel(Baselines.PERSISTENCE, 0, horizons);
  }

  public static BaselineModel seasonalDay(List<Integer> horizons) {
    return new BaselineModel(Baselines.SEASONAL_DAY, 1440, horizons);
  }

  public static BaselineModel seasonalWeek(List<Integer> horizons) {
    return new BaselineModel(Baselines.SEASONAL_WEEK, 10080, horizons);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Integer> horizons() {
    return horizons;
  }

  /** The feature column this baseline reads at {@code horizon}. */
  public String source(int horizon) {
    return periodMinutes == 0 ? FeatureTable.LOAD_NOW : FeatureTable.lag(periodMinutes - horizon);
  }

  @Override
  public Dataset<Row> predict(Dataset<Row> features) {
    List<String> columns = Arrays.asList(features.columns());
    Map<String, Column> forecasts = new LinkedHashMap<>();
    for (int horizon : horizons) {
      if (!columns.contains(source(horizon))) {
        throw new IllegalArgumentException("baseline " + name + " needs the feature column " + source(horizon)
            + " (add lag " + (periodMinutes - horizon) + " to features.lags_minutes)");
      }
      forecasts.put(ForecastModel.forecastColumn(name, horizon), col(source(horizon)).cast("double"));
    }
    return features.withColumns(forecasts);
  }

  @Override
  public void save(SparkSession spark, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(root);
    try (OutputStream out = fs.create(new Path(root, "baseline.txt"), true)) {
      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
