package io.nowcast.jobs.cli;

import io.nowcast.jobs.EvaluateJob;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.MetricsTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score the saved model and the naive baselines on the test period; print the metrics table.")
final class EvaluateCommand extends StageCommand {
  @Override
  String name() {
    return "evaluate";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    EvaluateJob.Result result = EvaluateJob.run(spark, config);
    System.out.println("test period: issue times from " + result.split().testStart());
    System.out.print(MetricsTable.render(result.metrics()));
  }
}
