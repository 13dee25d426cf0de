package io.nowcast.jobs.cli;

import io.nowcast.jobs.PredictJob;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Write the predictions table (P10/P50/P90 per region and horizon) for each region's latest "
        + "issue time, with the saved XGBoost model; the HTTP API serves it (scripts/api --predictions).")
final class PredictCommand extends StageCommand {
  @Option(names = "--model-version", defaultValue = "local",
      description = "Label for the model_version column, e.g. the registry version (default: ${DEFAULT-VALUE}).")
  String modelVersion;

  @Override
  String name() {
    return "predict";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    PredictJob.Result result = PredictJob.run(spark, config, modelVersion);
    System.out.printf("wrote %d predictions to %s%n", result.rows(), result.path());
  }
}
