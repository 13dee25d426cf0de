package io.nowcast.models.eval;

/**
 * Accuracy of one model at one horizon over the test rows: MAE and RMSE in MW, MAPE in percent,
 * skill over persistence {@code 1 − MAE / MAE_persistence} (NaN when persistence is unknown).
 */
public record HorizonMetrics(
    String model, int horizon, long count, double mae, double rmse, double mape, double skill) {}
