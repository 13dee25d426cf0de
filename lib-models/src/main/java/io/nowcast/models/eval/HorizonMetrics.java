package io.nowcast.models.eval;

/**
 * Accuracy of one model at one horizon over a set of rows: MAE and RMSE in MW, MAPE and sMAPE in
 * percent, skill over persistence {@code 1 − MAE / MAE_persistence} on the same rows (NaN when
 * persistence is unknown); for quantile models the mean pinball loss over its quantile levels (MW) and
 * the share of actuals inside the outer quantiles (P10–P90 coverage, 0..1). NaN where not applicable.
 */
public record HorizonMetrics(
    String model, int horizon, long count, double mae, double rmse, double mape, double skill,
    double smape, double pinball, double coverage) {

  /** Point metrics only (the shape before sMAPE and the quantile metrics). */
  public HorizonMetrics(String model, int horizon, long count, double mae, double rmse, double mape,
      double skill) {
    this(model, horizon, count, mae, rmse, mape, skill, Double.NaN, Double.NaN, Double.NaN);
  }
}
