package io.nowcast.jobs.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@code nowcast bench features}, printed as JSON: the input, the end-to-end wall time
 * (raw Parquet → feature Parquet written) and throughput, the rolling stages' cost with a 1-hour and
 * a 7-day window and their ratio (unless skipped), the data-quality stage's own time (when asked),
 * the cost of writing the finished table on its own (when asked: a floor under the wall time), the
 * process's peak memory and CPU time, and the plan's shape.
 */
public record BenchReport(
    String inputPath,
    String source,
    long inputRows,
    long regions,
    boolean withWeather,
    String outputPath,
    long outputRows,
    int outputColumns,
    double wallSeconds,
    double cpuSeconds,
    double rowsPerSecond,
    double rolling1hSeconds,
    double rolling7dSeconds,
    double rolling1hSameHaloSeconds,
    double qualitySeconds,
    double featuresReadSortSeconds,
    double featuresRewriteSeconds,
    long peakRssBytes,
    long heapPeakBytes,
    long heapMaxBytes,
    int cores,
    PlanShape plan) {

  /**
   * Cost of the rolling stages with a 7-day window over that with a 1-hour window (target ≤ 1.3),
   * each on chunks with its own window's halo: the 7-day run also copies 7 days of halo rows.
   */
  public double windowRatio() {
    return rolling7dSeconds / rolling1hSeconds;
  }

  /** The same ratio with both windows on the builder's halo: the window length's cost alone. */
  public double windowRatioSameHalo() {
    return rolling7dSeconds / rolling1hSameHaloSeconds;
  }

  /** The report as pretty-printed JSON, fields in a fixed order. */
  public String toJson() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("path", inputPath);
    input.put("source", source);
    input.put("rows", inputRows);
    input.put("regions", regions);
    input.put("with_weather", withWeather);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("path", outputPath);
    output.put("rows", outputRows);
    output.put("columns", outputColumns);
    Map<String, Object> ratio = new LinkedHashMap<>();
    if (Double.isNaN(rolling1hSeconds)) {
      ratio.put("skipped", "--no-window-ratio");
    } else {
      ratio.put("rolling_1h_seconds", round(rolling1hSeconds));
      ratio.put("rolling_7d_seconds", round(rolling7dSeconds));
      ratio.put("ratio_7d_to_1h", round(windowRatio()));
      ratio.put("rolling_1h_on_7d_halo_seconds", round(rolling1hSameHaloSeconds));
      ratio.put("ratio_7d_to_1h_same_halo", round(windowRatioSameHalo()));
    }
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("peak_rss_bytes", peakRssBytes);
    memory.put("peak_rss_mib", peakRssBytes < 0 ? -1 : peakRssBytes / (1024 * 1024));
    memory.put("heap_peak_bytes", heapPeakBytes);
    memory.put("heap_peak_mib", heapPeakBytes / (1024 * 1024));
    memory.put("heap_max_mib", heapMaxBytes / (1024 * 1024));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "features");
    json.put("input", input);
    json.put("output", output);
    json.put("wall_seconds", round(wallSeconds));
    json.put("rows_per_second", Math.round(rowsPerSecond));
    // CPU time of the whole process over the same span: on a shared machine, where wall time
    // depends on the other load, this is the steadier measure of the work done.
    json.put("process_cpu_seconds", round(cpuSeconds));
    json.put("window_ratio", ratio);
    // Timed apart from wall_seconds (run with --quality): the checks nowcast features runs first.
    json.put("quality_seconds", Double.isNaN(qualitySeconds) ? null : round(qualitySeconds));
    // Run with --write-floor: the finished table read back and written again, no feature computed.
    Map<String, Object> floor = new LinkedHashMap<>();
    if (Double.isNaN(featuresRewriteSeconds)) {
      floor.put("skipped", "run with --write-floor");
    } else {
      floor.put("read_sort_seconds", round(featuresReadSortSeconds));
      floor.put("read_sort_write_seconds", round(featuresRewriteSeconds));
      floor.put("write_seconds_estimate", round(featuresRewriteSeconds - featuresReadSortSeconds));
    }
    json.put("write_floor", floor);
    json.put("memory", memory);
    json.put("cores", cores);
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("window_operators", plan.windows());
    shape.put("window_functions", plan.windowFunctions());
    shape.put("sorts", plan.sorts());
    shape.put("exchanges", plan.exchanges());
    json.put("plan", shape);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the bench report", e);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
