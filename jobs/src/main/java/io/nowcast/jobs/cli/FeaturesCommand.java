package io.nowcast.jobs.cli;

import io.nowcast.jobs.FeaturesJob;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Build the features table (lags, rolling stats, calendar, weather, targets) from raw data.")
final class FeaturesCommand extends StageCommand {
  @Override
  String name() {
    return "features";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    FeaturesJob.Result result = FeaturesJob.run(spark, config);
    System.out.printf("features of %s written to %s (%s; data fingerprint %s)%n", config.source(),
        result.path(), result.withWeather() ? "with weather" : "no weather", result.dataFingerprint());
  }
}
