package io.nowcast.jobs.cli;

import io.nowcast.jobs.PipelineJob;
import io.nowcast.jobs.SparkSessions;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.MetricsTable;
import io.nowcast.models.tracking.LocalMlflowServer;
import io.nowcast.models.tracking.NoopRunTracker;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.models.tracking.TrackingUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline (raw data -> features -> train -> evaluate) as one MLflow run.",
        "Synthetic data by default; --source nyiso-pal --archives DIR ingests NYISO monthly archives first.",
        "Without MLFLOW_TRACKING_URI a local MLflow server is started (and stopped) under work/mlflow."})
final class RunCommand implements Callable<Integer> {
  /** Port the `make mlflow-ui` browser for the local store listens on. */
  static final int UI_PORT = 5000;

  @Mixin CommonOptions common;
  @Mixin ModelSourceOption modelSource;
  @Mixin ArchiveOptions archives;

  @Option(names = "--no-tracking", description = "Do not record the run in MLflow.")
  boolean noTracking;

  @Override
  public Integer call() {
    NowcastConfig config = common.resolve(modelSource.source);
    Path home = CommonOptions.home();
    LocalMlflowServer localServer = null;
    String trackingUri = noTracking ? null : config.trackingUri();
    String offReason = noTracking ? "--no-tracking given" : null;
    if (!noTracking && trackingUri == null) {
      try {
        localServer = LocalMlflowServer.start(LocalMlflowServer.defaultVenvDir(), home.resolve("work/mlflow"));
        trackingUri = localServer.trackingUri();
      } catch (TrackingUnavailableException e) {
        offReason = "could not start a local MLflow server: " + e.getMessage();
      }
    }
    SparkSession spark = SparkSessions.open("nowcast-run");
    try (RunTracker run = trackingUri == null ? new NoopRunTracker(offReason)
        : RunTrackers.open(trackingUri, config.experiment(), "pipeline-" + config.source(), Map.of())) {
      Supplier<String> rawStep = archives.ingestStep(spark, config);
      PipelineJob.Result result = PipelineJob.run(spark,
          trackingUri == null ? config : config.withTrackingUri(trackingUri), run, home, rawStep);
      System.out.println();
      System.out.println("Holdout metrics (" + config.source() + ", last " + config.evaluation().testDays()
          + " days; skill = 1 - MAE / MAE of persistence):");
      System.out.print(MetricsTable.render(result.metrics()));
      System.out.println("Stage times (s): " + result.stageSeconds());
      System.out.println(where(result, localServer));
      return 0;
    } finally {
      spark.stop();
      if (localServer != null) {
        localServer.close();
      }
    }
  }

  private static String where(PipelineJob.Result result, LocalMlflowServer localServer) {
    if (!result.tracked()) {
      return "MLflow tracking was off for this run.";
    }
    if (localServer == null) {
      return "MLflow run " + result.runId() + ": " + result.uiUrl();
    }
    String url = result.uiUrl().replaceFirst("^http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:" + UI_PORT);
    return "MLflow run " + result.runId() + " recorded in " + localServer.workDir()
        + " (the local server has stopped).\nTo browse it: make mlflow-ui, then open " + url;
  }
}
