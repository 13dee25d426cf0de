package io.nowcast.jobs.cli;

import io.nowcast.jobs.TrainJob;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one XGBoost model per horizon on the training period and save it.")
final class TrainCommand extends StageCommand {
  @Override
  String name() {
    return "train";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    TrainJob.Result result = TrainJob.run(spark, config);
    System.out.printf("trained on %d rows (issue times before %s) in %.1f s; model saved to %s%n",
        result.trainRows(), result.split().trainEnd(), result.seconds(), result.modelPath());
  }
}
