package io.nowcast.ingest.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The totals of a quality report, for logs, MLflow metrics and the JSON summary.
 *
 * @param checks per check: its policy, the region-days failing it and the rows it flagged
 * @param violations the first {@value #VIOLATIONS_LISTED} failing (region, day, check, value), in
 *     region, day and check order
 */
public record QualitySummary(
    String day,
    long regionDays,
    long expectedInstants,
    long instantsPresent,
    Map<QualityCheck, CheckTotals> checks,
    long daysDropped,
    long rowsDropped,
    long valuesRemoved,
    long duplicatesRemoved,
    long instantsFilled,
    List<Violation> violations,
    long violationsTotal,
    QualitySettings settings) {

  /** How many violations the JSON lists (all are in the report table). */
  public static final int VIOLATIONS_LISTED = 200;

  /** One check's totals. */
  public record CheckTotals(QualityPolicy policy, long regionDays, long rows) {}

  /** One failing region-day of one check. */
  public record Violation(String region, String day, QualityCheck check, String value) {}

  /** MLflow metrics ({@code quality_*}). */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("quality_region_days", (double) regionDays);
    m.put("quality_completeness", expectedInstants == 0 ? 1.0 : (double) instantsPresent / expectedInstants);
    checks.forEach((check, totals) -> {
      m.put("quality_days_" + check.key(), (double) totals.regionDays());
      m.put("quality_rows_" + check.key(), (double) totals.rows());
    });
    m.put("quality_days_dropped", (double) daysDropped);
    m.put("quality_rows_dropped", (double) rowsDropped);
    m.put("quality_values_removed", (double) valuesRemoved);
    m.put("quality_duplicates_removed", (double) duplicatesRemoved);
    m.put("quality_rows_repaired", (double) instantsFilled);
    return m;
  }

  /** The summary as pretty JSON, with the settings it was made with. */
  public String toJson(String source) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("source", source);
    json.put("day", day);
    json.put("region_days", regionDays);
    json.put("expected_instants", expectedInstants);
    json.put("instants_present", instantsPresent);
    Map<String, Object> perCheck = new LinkedHashMap<>();
    checks.forEach((check, t) -> perCheck.put(check.key(),
        Map.of("policy", t.policy().key(), "region_days", t.regionDays(), "rows", t.rows())));
    json.put("checks", perCheck);
    json.put("days_dropped", daysDropped);
    json.put("rows_dropped", rowsDropped);
    json.put("values_removed", valuesRemoved);
    json.put("duplicates_removed", duplicatesRemoved);
    json.put("rows_repaired", instantsFilled);
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("step_minutes", settings.stepMinutes());
    conf.put("max_gap_minutes", settings.maxGapMinutes());
    conf.put("completeness_min_ratio", settings.completenessMinRatio());
    conf.put("flatline_min_hours", settings.flatlineMinHours());
    conf.put("outlier_weeks", settings.outlierWeeks());
    conf.put("outlier_threshold", settings.outlierThreshold());
    conf.put("outlier_min_reference", settings.outlierMinReference());
    conf.put("max_mw", settings.maxMw());
    conf.put("max_jump_ratio", settings.maxJumpRatio());
    json.put("settings", conf);
    json.put("violations_total", violationsTotal);
    json.put("violations", violations.stream().map(v -> Map.of("region", v.region(), "day", v.day(),
        "check", v.check().key(), "value", v.value())).toList());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the quality summary: " + e.getMessage(), e);
    }
  }
}
