package io.nowcast.jobs.cli;

import io.nowcast.jobs.ResultsJob;
import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.MetricsTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "results", mixinStandardHelpOptions = true,
    description = {"The accuracy protocol: features of backtest.series (NYISO adds the system total), the",
        "rolling-origin backtest over backtest.test_start..test_end, and the table written to docs/results.md.",
        "Example: results --source nyiso-pal --set backtest.test_start=2019-01-01 --set backtest.test_end=2020-01-01"})
final class ResultsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ModelSourceOption modelSource;

  @Option(names = "--markdown", description = "Where to write the table (default: docs/results.md).")
  Path markdown;

  @Option(names = "--reuse-features",
      description = "Use the features a previous `results` run wrote, when complete, instead of rebuilding them.")
  boolean reuseFeatures;

  @Override
  public Integer call() {
    NowcastConfig config = common.resolve(modelSource.source);
    Path target = markdown != null ? markdown : CommonOptions.home().resolve("docs/results.md");
    SparkSession spark = SparkSessions.open("nowcast-results");
    try {
      ResultsJob.Result result = ResultsJob.run(spark, config, target,
          "nowcast results --source " + config.source() + " (config: " + config.env() + ")"
              + overridesText(), reuseFeatures);
      System.out.print(MetricsTable.render(result.backtest().pooled().overall()));
      System.out.println("Stage times (s): " + result.stageSeconds());
      System.out.println("Results written to " + result.markdown());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The {@code --set} overrides as typed, so the report names the exact run. */
  private String overridesText() {
    StringBuilder text = new StringBuilder();
    common.overrides.forEach((key, value) -> text.append(" --set ").append(key).append('=').append(value));
    return text.toString();
  }
}
