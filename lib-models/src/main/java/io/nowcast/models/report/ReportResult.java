package io.nowcast.models.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link ReportWriter} wrote and chose.
 *
 * @param dir the report directory (log it with {@code RunTracker.logArtifacts(dir, "plots")})
 * @param html {@code report.html} inside it
 * @param charts the PNG files inside it
 * @param region the sample week's region
 * @param horizonMin the horizon of the sample week, hour-of-day chart and histogram
 * @param scoredRows evaluation rows behind the error charts, all models and horizons together
 * @param millis wall time of each step, in order: {@code overview}, {@code cache_and_error_by_horizon},
 *     {@code sample_week}, {@code error_by_hour}, {@code residual_histogram}, {@code spark_aggregates}
 *     (all of those), {@code render_png}, {@code write_files}, {@code total}
 */
public record ReportResult(
    Path dir,
    Path html,
    List<Path> charts,
    List<String> models,
    String region,
    int horizonMin,
    long scoredRows,
    Map<String, Long> millis) {}
