package io.nowcast.jobs.cli;

import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.config.NowcastConfig;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/** A sub-command that resolves the config, opens a SparkSession, runs one job and stops the session. */
abstract class StageCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ModelSourceOption modelSource;

  @Override
  public Integer call() {
    NowcastConfig config = common.resolve(modelSource.source);
    SparkSession spark = SparkSessions.open("nowcast-" + name());
    try {
      run(spark, config);
      return 0;
    } finally {
      spark.stop();
    }
  }

  abstract String name();

  abstract void run(SparkSession spark, NowcastConfig config);
}
