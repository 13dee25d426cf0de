package io.nowcast.jobs.cli;

import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.bench.BenchReport;
import io.nowcast.jobs.bench.FeatureBench;
import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nowcast bench …}: benchmarks that print JSON (speed and memory targets are measured here). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks printing JSON.", subcommands = {BenchCommand.Features.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code nowcast bench features}. */
  @Command(name = "features", mixinStandardHelpOptions = true,
      description = "Time raw Parquet -> feature Parquet (and the 7-day vs 1-hour rolling window cost) on an"
          + " existing raw root or on generated synthetic load; prints JSON.")
  static final class Features implements Callable<Integer> {
    @Option(names = "--raw", paramLabel = "ROOT", description = "Data root holding raw/load (and raw/weather).")
    String raw;

    @Option(names = "--synthetic-rows", paramLabel = "N",
        description = "Generate about N rows of synthetic 5-minute load (regions x days) first.")
    long syntheticRows;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "work/bench",
        description = "Folder for the benchmark's output (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--source", paramLabel = "SOURCE",
        description = "Source of the raw load (default: the only one under --raw).")
    String source;

    @Option(names = "--window-ratio", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also time the rolling stages with a 1-hour and a 7-day window (default: on;"
            + " --no-window-ratio skips it, e.g. on the 50M-row run).")
    boolean windowRatio;

    @Option(names = "--quality", description = "Also time the data-quality stage on the same raw load.")
    boolean quality;

    @Option(names = "--write-floor",
        description = "Also time reading the finished feature table back and writing it again (no feature"
            + " computed): how much of the wall time the Parquet write alone takes.")
    boolean writeFloor;

    @Option(names = "--env", defaultValue = "${NOWCAST_ENV:-local}", description = "Environment config.")
    String env;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override a config key, e.g. --set features.windows_minutes=[60] (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
      FeatureBench.Options options = new FeatureBench.Options(raw, syntheticRows, out, source, windowRatio, quality,
          writeFloor);
      NowcastConfig config = ConfigLoader.load(env, CommonOptions.home(), (Path) null, System.getenv(),
          new LinkedHashMap<>(overrides));
      SparkSession spark = SparkSessions.open("nowcast-bench-features");
      try {
        BenchReport report = FeatureBench.run(spark, config, options);
        System.out.println(report.toJson());
        return 0;
      } finally {
        spark.stop();
      }
    }
  }
}
