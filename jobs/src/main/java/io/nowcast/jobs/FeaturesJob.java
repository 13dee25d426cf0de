package io.nowcast.jobs;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.features.FeatureTable;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.jobs.config.NowcastConfig;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Builds the features table of the configured source from the raw tables. */
public final class FeaturesJob {
  private FeaturesJob() {}

  /** Where the features went and the fingerprint of the raw load they came from. */
  public record Result(String path, String dataFingerprint, boolean withWeather) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    DataPaths paths = new DataPaths(config.dataRoot());
    if (!DataPaths.exists(spark, paths.rawLoad())) {
      throw new IllegalArgumentException("no raw load at " + paths.rawLoad()
          + ": run `nowcast synth` or `nowcast ingest` first");
    }
    Dataset<Row> rawLoad = spark.read().parquet(paths.rawLoad())
        .where(col(RawLoadTable.SOURCE).equalTo(config.source()));
    String fingerprint = DataFingerprint.of(rawLoad);
    if (fingerprint.equals(DataFingerprint.EMPTY)) {
      throw new IllegalArgumentException("raw load at " + paths.rawLoad() + " has no rows of source '"
          + config.source() + "'");
    }
    Optional<Dataset<Row>> weather = Optional.empty();
    if (DataPaths.exists(spark, paths.rawWeather())) {
      Dataset<Row> observations = spark.read().parquet(paths.rawWeather())
          .where(col(RawWeatherTable.SOURCE).equalTo(weatherSource(config.source())));
      // isEmpty() reads at most one row: features without weather are allowed but must be said so.
      if (!observations.isEmpty()) {
        weather = Optional.of(observations);
      }
    }
    Dataset<Row> features = new FeatureBuilder(config.features(), regions(config)).build(rawLoad, weather);
    String out = paths.features(config.source());
    features.repartition(col(FeatureTable.MONTH))
        .sortWithinPartitions(FeatureTable.REGION, FeatureTable.ISSUE_TS)
        .write().mode(SaveMode.Overwrite).partitionBy(FeatureTable.MONTH).parquet(out);
    return new Result(out, fingerprint, weather.isPresent());
  }

  /** The regions of the configured source. */
  public static RegionMap regions(NowcastConfig config) {
    return config.source().equals("synthetic")
        ? RegionMap.synthetic(config.synthetic().regions())
        : RegionMap.nyiso();
  }

  private static String weatherSource(String loadSource) {
    return loadSource.equals("synthetic") ? "synthetic" : "klga-wu";
  }
}
