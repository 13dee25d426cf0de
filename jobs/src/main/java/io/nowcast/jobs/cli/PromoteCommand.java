package io.nowcast.jobs.cli;

import io.nowcast.jobs.PromoteJob;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.registry.Promoter;
import io.nowcast.models.registry.PromotionGate;
import io.nowcast.models.registry.RegistryNames;
import io.nowcast.models.tracking.LocalMlflowServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// No mixinStandardHelpOptions: its --version would clash with the candidate's --version.
@Command(name = "promote",
    description = {"Move the 'production' alias of a registered model to a candidate version, only if it beats",
        "production on the same backtest folds at every horizon by the margin (relative MAE improvement).",
        "The comparison and the decision are logged to MLflow. Exit code 0 when promoted, 1 when not.",
        "Without MLFLOW_TRACKING_URI the local store under work/mlflow is used (a server is started)."})
final class PromoteCommand implements Callable<Integer> {
  /** Exit code when the gate kept production where it was. */
  static final int NOT_PROMOTED = 1;

  @Mixin CommonOptions common;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--model", defaultValue = RegistryNames.XGB_MODEL,
      description = "Registered model (default: ${DEFAULT-VALUE}).")
  String model;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Candidate candidate = new Candidate();

  static final class Candidate {
    @Option(names = "--version", description = "Candidate version number.")
    Integer version;

    @Option(names = "--alias", description = "Candidate alias (default: " + RegistryNames.STAGING + ").")
    String alias;
  }

  @Option(names = "--margin",
      description = "Required relative MAE improvement at every horizon, e.g. 0.02 (default: "
          + "registry.promotion_margin of the config, else 0 = strictly better).")
  Double margin;

  @Option(names = "--force", description = "Promote even if the gate says no (logged as forced).")
  boolean force;

  @Override
  public Integer call() {
    NowcastConfig config = common.resolve();
    Promoter.Request request = new Promoter.Request(model, candidate.version, candidate.alias,
        margin != null ? margin : config.promotionMargin(), force);
    LocalMlflowServer localServer = null;
    String trackingUri = config.trackingUri();
    try {
      if (trackingUri == null) {
        localServer = LocalMlflowServer.start(
            LocalMlflowServer.defaultVenvDir(), CommonOptions.home().resolve("work/mlflow"));
        trackingUri = localServer.trackingUri();
      }
      Promoter.Result result = PromoteJob.run(config, trackingUri, request);
      System.out.println(Promoter.summary(result));
      if (!result.decision().table().isEmpty()) {
        System.out.print(PromotionGate.render(result.decision()));
      }
      if (!result.promotionRunId().isEmpty()) {
        System.out.println("decision logged to MLflow run " + result.promotionRunId());
      }
      return result.promoted() ? 0 : NOT_PROMOTED;
    } finally {
      if (localServer != null) {
        localServer.close();
      }
    }
  }
}
