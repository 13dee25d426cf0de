package io.nowcast.jobs.cli;

import io.nowcast.models.tracking.TrackingUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nowcast} command line: one sub-command per pipeline stage plus {@code run} for all of
 * them. Also the main class of the shaded jar, so each stage is a spark-submit entry point:
 * {@code spark-submit --class io.nowcast.jobs.cli.NowcastCli nowcast.jar features --data-root s3a://…}.
 */
@Command(name = "nowcast", mixinStandardHelpOptions = true, version = "ML Power Nowcast 0.1.0",
    description = "Nowcast grid load 15-60 minutes ahead with Spark, XGBoost and MLflow.",
    subcommands = {SynthCommand.class, IngestCommand.class, FeaturesCommand.class, TrainCommand.class,
        EvaluateCommand.class, RunCommand.class, BacktestCommand.class, ResultsCommand.class,
        PromoteCommand.class, BenchCommand.class, PredictCommand.class})
public final class NowcastCli implements Runnable {
  /** Exit code of a user mistake (bad option, bad config, missing input). */
  public static final int USAGE_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new NowcastCli());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (isUserError(e)) {
        commandLine.getErr().println("error: " + e.getMessage());
        return USAGE_ERROR;
      }
      throw e;
    });
    return cli.execute(args);
  }

  private static boolean isUserError(Throwable e) {
    return e instanceof IllegalArgumentException || e instanceof TrackingUnavailableException;
  }
}
