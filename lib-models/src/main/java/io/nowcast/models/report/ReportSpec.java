package io.nowcast.models.report;

import io.nowcast.models.report.ReportCharts.ErrorMetric;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What the report shows; every choice has a default, resolved from the data by {@link ReportWriter}.
 *
 * @param sampleRegion region of the forecast-vs-actual week; null: the region with the largest mean
 *     load (the system total where there is one)
 * @param horizonMin horizon of the sample week, the hour-of-day chart and the residual histogram;
 *     null: the longest horizon in the data
 * @param sampleWeekStart first target time of the sample week; null: the last 7 days of the data
 * @param zone zone of the time axis and of the hour of day
 * @param binWidthMw residual histogram bin width; null: chosen from the data
 * @param topFeatures how many features the importance chart shows
 * @param commonRowsOnly score only the cells (region, target time, horizon) that every model forecast,
 *     as the evaluator does; the sample week always shows every model's rows
 * @param errorMetric the error the by-horizon and by-hour charts show
 * @param importanceModel the model the feature importance belongs to (chart title)
 */
public record ReportSpec(
    String sampleRegion,
    Integer horizonMin,
    Instant sampleWeekStart,
    ZoneId zone,
    Double binWidthMw,
    int topFeatures,
    boolean commonRowsOnly,
    ErrorMetric errorMetric,
    String importanceModel) {

  public static final int TOP_FEATURES_DEFAULT = 20;

  public ReportSpec {
    zone = Objects.requireNonNullElse(zone, ZoneOffset.UTC);
    errorMetric = Objects.requireNonNullElse(errorMetric, ErrorMetric.MAE_MW);
    importanceModel = Objects.requireNonNullElse(importanceModel, "xgboost");
    if (topFeatures < 1) {
      throw new IllegalArgumentException("report top features must be >= 1, got " + topFeatures);
    }
    if (binWidthMw != null && !(binWidthMw > 0 && Double.isFinite(binWidthMw))) {
      throw new IllegalArgumentException("report residual bin width must be > 0 MW, got " + binWidthMw);
    }
  }

  /** Everything chosen from the data; UTC; MAE; common rows only; 20 features. */
  public static ReportSpec defaults() {
    return new ReportSpec(null, null, null, ZoneOffset.UTC, null, TOP_FEATURES_DEFAULT, true, ErrorMetric.MAE_MW, "xgboost");
  }

  public ReportSpec withSampleRegion(String region) {
    return new ReportSpec(region, horizonMin, sampleWeekStart, zone, binWidthMw, topFeatures, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withHorizonMin(Integer horizon) {
    return new ReportSpec(sampleRegion, horizon, sampleWeekStart, zone, binWidthMw, topFeatures, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withSampleWeekStart(Instant start) {
    return new ReportSpec(sampleRegion, horizonMin, start, zone, binWidthMw, topFeatures, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withZone(ZoneId newZone) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, newZone, binWidthMw, topFeatures, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withBinWidthMw(Double width) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, zone, width, topFeatures, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withTopFeatures(int top) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, zone, binWidthMw, top, commonRowsOnly, errorMetric, importanceModel);
  }

  public ReportSpec withCommonRowsOnly(boolean common) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, zone, binWidthMw, topFeatures, common, errorMetric, importanceModel);
  }

  public ReportSpec withErrorMetric(ErrorMetric metric) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, zone, binWidthMw, topFeatures, commonRowsOnly, metric, importanceModel);
  }

  public ReportSpec withImportanceModel(String model) {
    return new ReportSpec(sampleRegion, horizonMin, sampleWeekStart, zone, binWidthMw, topFeatures, commonRowsOnly, errorMetric, model);
  }
}
