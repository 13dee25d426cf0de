package io.nowcast.jobs.cli;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.jobs.FeaturesJob;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Build the features table (data-quality stage first; lags, rolling stats, calendar, weather,"
        + " targets) from raw data.")
final class FeaturesCommand extends StageCommand {
  /** The view the printed SQL reads: a table or view in the raw load contract. */
  static final String RAW_LOAD_VIEW = "raw_load";

  @Option(names = "--explain-sql",
      description = "Print the Spark SQL of the configured feature spec (reading the view " + RAW_LOAD_VIEW
          + ") and exit without running a job.")
  boolean explainSql;

  @Override
  public Integer call() {
    if (!explainSql) {
      return super.call();
    }
    // No SparkSession: the SQL text is rendered from the spec alone.
    NowcastConfig config = common.resolve(modelSource.source);
    System.out.print(new FeatureBuilder(config.features(), FeaturesJob.regions(config)).explainSql(RAW_LOAD_VIEW));
    return 0;
  }

  @Override
  String name() {
    return "features";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    FeaturesJob.Result result = FeaturesJob.run(spark, config);
    System.out.printf("features of %s written to %s (%s; data fingerprint %s)%n", config.source(),
        result.path(), result.withWeather() ? "with weather" : "no weather", result.dataFingerprint());
    if (result.quality() != null) {
      System.out.printf("data quality: %d region-days, %d dropped, %d values removed, %d instants filled;"
              + " summary %s%n", result.quality().regionDays(), result.quality().daysDropped(),
          result.quality().valuesRemoved(), result.quality().instantsFilled(), result.qualitySummaryPath());
    }
  }
}
