package io.nowcast.jobs.cli;

import io.nowcast.jobs.SynthJob;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "synth", mixinStandardHelpOptions = true,
    description = "Generate deterministic synthetic 5-minute load and hourly weather into the raw tables"
        + " (size from synthetic.* config keys, e.g. --set synthetic.days=365).")
final class SynthCommand extends StageCommand {
  @Override
  String name() {
    return "synth";
  }

  @Override
  void run(SparkSession spark, NowcastConfig config) {
    SynthJob.Result result = SynthJob.run(spark, config.withSource("synthetic"));
    System.out.printf("synthetic: %d regions x %d days from %s -> %d load rows, %d weather rows under %s%n",
        result.spec().regions(), result.spec().days(), result.spec().start(), result.loadRows(),
        result.weatherRows(), config.dataRoot());
  }
}
