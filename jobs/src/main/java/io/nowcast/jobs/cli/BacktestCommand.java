package io.nowcast.jobs.cli;

import io.nowcast.jobs.BacktestJob;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.Backtest;
import io.nowcast.models.eval.MetricsTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = {"Rolling-origin backtest of the configured models (backtest.models) on the features table:",
        "backtest.folds windows over backtest.test_start..test_end (or the last folds x fold_days days),",
        "expanding training window, backtest.gap_minutes >= the longest horizon."})
final class BacktestCommand extends StageCommand {
  @Override
  String name() {
    return "backtest";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    Backtest.Result result = BacktestJob.run(spark, config);
    for (Backtest.FoldResult fold : result.folds()) {
      System.out.printf("fold %d: test %s .. %s, %d rows, train %s s, score %.1f s%n", fold.fold().index(),
          fold.fold().testStart(), fold.fold().testEnd(), fold.testRows(), fold.trainSeconds(), fold.scoreSeconds());
    }
    System.out.println("Pooled over all folds:");
    System.out.print(MetricsTable.render(result.pooled().overall()));
    System.out.printf("backtest took %.1f s%n", result.seconds());
  }
}
