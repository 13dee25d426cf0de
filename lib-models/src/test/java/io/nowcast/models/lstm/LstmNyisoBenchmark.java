package io.nowcast.models.lstm;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.eval.ForecastEvaluator;
import io.nowcast.models.eval.HorizonMetrics;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark command (not a test): trains the LSTM on one period of a features table and scores it
 * and persistence on a later one, printing JSON (metrics per horizon, pooled over regions and per
 * region of interest, and the training report). Settings from {@code -Dlstm.*} system properties.
 *
 * <pre>
 * java -cp ... io.nowcast.models.lstm.LstmNyisoBenchmark FEATURES_DIR TRAIN_FROM TRAIN_TO TEST_FROM TEST_TO [MODEL_DIR]
 * </pre>
 */
public final class LstmNyisoBenchmark {
  private LstmNyisoBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: LstmNyisoBenchmark FEATURES TRAIN_FROM TRAIN_TO TEST_FROM TEST_TO [MODEL_DIR]");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("lstm-benchmark").getOrCreate();
    Map<String, Object> config = new HashMap<>();
    for (String key : LstmSettings.KEYS) {
      if (System.getProperty(key) != null) {
        config.put(key, System.getProperty(key));
      }
    }
    LstmSettings settings = LstmSettings.fromConfig(config);
    FeatureSpec spec = FeatureSpec.defaults();
    Timestamp trainFrom = ts(args[1]);
    Timestamp trainTo = ts(args[2]);
    Timestamp testFrom = ts(args[3]);
    Timestamp testTo = ts(args[4]);
    Dataset<Row> features;
    if (new java.io.File(args[0], "raw").isDirectory()) {
      // A data root without a features table: build the features of the period (plus a week of
      // history for the weekly lags) in-process, with KLGA weather, as `nowcast features` would.
      Timestamp from = new Timestamp(trainFrom.getTime() - 8 * 86_400_000L);
      Dataset<Row> load = spark.read().parquet(args[0] + "/raw/load")
          .where(col("ts").geq(from).and(col("ts").lt(testTo)));
      Dataset<Row> weather = spark.read().parquet(args[0] + "/raw/weather")
          .where(col("ts").geq(from).and(col("ts").lt(testTo)));
      features = new io.nowcast.features.FeatureBuilder(spec, io.nowcast.ingest.region.RegionMap.nyiso())
          .build(load, java.util.Optional.of(weather));
      String cached = System.getProperty("java.io.tmpdir") + "/lstm-bench-features";
      long started = System.nanoTime();
      features.write().mode("overwrite").parquet(cached);
      System.err.println("features built in " + (System.nanoTime() - started) / 1e9 + " s");
      features = spark.read().parquet(cached);
    } else {
      features = spark.read().parquet(args[0]);
    }

    long started = System.nanoTime();
    LstmNowcastModel model = new LstmTrainer(settings, spec).train(features.where(
        col(FeatureTable.ISSUE_TS).geq(trainFrom).and(col(FeatureTable.ISSUE_TS).lt(trainTo))));
    double trainSeconds = (System.nanoTime() - started) / 1e9;
    if (args.length > 5) {
      model.save(spark, args[5]);
    }

    started = System.nanoTime();
    // History before the test start so the first test rows get full lookbacks.
    Timestamp historyFrom = new Timestamp(testFrom.getTime() - model.historyMinutes() * 60_000L);
    Dataset<Row> window = features.where(
        col(FeatureTable.ISSUE_TS).geq(historyFrom).and(col(FeatureTable.ISSUE_TS).lt(testTo)));
    Dataset<Row> scored = Baselines.add(model.predict(window), spec.horizons())
        .where(col(FeatureTable.ISSUE_TS).geq(testFrom))
        .cache();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("train", args[1] + " .. " + args[2]);
    out.put("test", args[3] + " .. " + args[4]);
    out.put("settings", settings.toConfig());
    out.put("report", model.report());
    out.put("train_seconds_total", trainSeconds);
    List<String> models = List.of(LstmNowcastModel.NAME, Baselines.PERSISTENCE);
    out.put("all_regions", table(ForecastEvaluator.evaluate(scored, models, spec.horizons(),
        Baselines::forecastColumn)));
    out.put("N.Y.C.", table(ForecastEvaluator.evaluate(scored.where(col(FeatureTable.REGION).equalTo("N.Y.C.")),
        models, spec.horizons(), Baselines::forecastColumn)));
    out.put("score_seconds", (System.nanoTime() - started) / 1e9);
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    spark.stop();
  }

  private static List<Map<String, Object>> table(List<HorizonMetrics> metrics) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (HorizonMetrics m : metrics) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", m.model());
      row.put("horizon", m.horizon());
      row.put("n", m.count());
      row.put("mae_mw", m.mae());
      row.put("mape_pct", m.mape());
      row.put("skill", m.skill());
      rows.add(row);
    }
    return rows;
  }

  private static Timestamp ts(String date) {
    return Timestamp.from(Instant.parse(date + "T00:00:00Z"));
  }
}
