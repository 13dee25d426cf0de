package io.nowcast.models.lstm;

import java.io.Serializable;

/**
 * What a training run did, for logs, MLflow and the model's config. Losses are mean squared errors of
 * the scaled targets (1.0 = no better than predicting each horizon's mean change).
 *
 * @param eligibleWindows issue times in the training data with a load and every target
 * @param sampledWindows windows drawn with Spark and collected to the driver (≤ {@code max_windows})
 * @param trainWindows windows trained on (the earlier part of the sample)
 * @param validationWindows the latest windows held out to pick the best epoch
 * @param epochsCompleted full passes over the training windows
 * @param batches gradient steps taken
 * @param stoppedBy {@code epochs} or {@code time_budget}
 * @param bestEpoch the epoch whose parameters were kept (1-based; a partial last epoch counts)
 * @param trainLoss the training loss of the last epoch (of its batches run)
 * @param validationLoss the validation loss of the kept epoch; null without validation windows
 * @param samplingSeconds time to draw and collect the sample
 * @param trainingSeconds time of the training loop (what the budget bounds)
 * @param timeBudgetSeconds the budget
 * @param device the DJL device trained on
 */
public record LstmTrainingReport(
    long eligibleWindows,
    int sampledWindows,
    int trainWindows,
    int validationWindows,
    int epochsCompleted,
    long batches,
    String stoppedBy,
    int bestEpoch,
    double trainLoss,
    Double validationLoss,
    double samplingSeconds,
    double trainingSeconds,
    double timeBudgetSeconds,
    String device) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String STOPPED_BY_EPOCHS = "epochs";
  public static final String STOPPED_BY_TIME_BUDGET = "time_budget";
}
