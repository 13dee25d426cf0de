package io.nowcast.jobs;

import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.registry.Promoter;

/**
 * Runs the promotion gate for one registered model: the candidate moves to the {@code production} alias
 * only if it beats production on the same backtest folds at every horizon by the margin (or with
 * {@code force}). No Spark: it only talks to the MLflow registry.
 */
public final class PromoteJob {
  private PromoteJob() {}

  /**
   * @param trackingUri the MLflow server holding the registry
   * @param request which model and candidate, the margin, and whether to force
   */
  public static Promoter.Result run(NowcastConfig config, String trackingUri, Promoter.Request request) {
    return new Promoter(trackingUri, config.experiment()).promote(request);
  }
}
