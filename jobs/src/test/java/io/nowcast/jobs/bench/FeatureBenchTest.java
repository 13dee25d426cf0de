package io.nowcast.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nowcast bench features} on tiny synthetic data: the JSON has every field, with sane values. */
class FeatureBenchTest {
  @TempDir Path dir;

  @Test
  void tinySyntheticBenchPrintsSaneJson() throws Exception {
    NowcastConfig config = ConfigLoader.load("none", dir, null, Map.of(), Map.of());
    long asked = 2L * 288 * 9;
    BenchReport report = FeatureBench.run(SparkTestSession.get(), config,
        new FeatureBench.Options(null, asked, dir.resolve("bench").toString(), null));
    JsonNode json = new ObjectMapper().readTree(report.toJson());

    assertEquals("features", json.get("benchmark").asText());
    JsonNode input = json.get("input");
    assertEquals("synthetic", input.get("source").asText());
    // The generator writes a complete grid: regions x days x 288 rows, here exactly what was asked.
    SyntheticSpec spec = FeatureBench.syntheticSpec(asked);
    long expectedRows = (long) spec.regions() * spec.days() * 288;
    assertEquals(expectedRows, input.get("rows").asLong());
    assertEquals(spec.regions(), input.get("regions").asLong());
    assertTrue(input.get("with_weather").asBoolean(), "synthetic weather is generated too");
    // One feature row per grid instant; the table was really written, partitioned by month.
    JsonNode output = json.get("output");
    assertEquals(expectedRows, output.get("rows").asLong());
    assertTrue(output.get("columns").asInt() > 50, "feature columns: " + output.get("columns"));
    Path features = Path.of(output.get("path").asText().replaceFirst("^file:", ""));
    try (var months = Files.list(features)) {
      assertTrue(months.anyMatch(p -> p.getFileName().toString().startsWith("month=")), "month partitions");
    }

    double wall = json.get("wall_seconds").asDouble();
    assertTrue(wall > 0, "wall " + wall);
    assertTrue(json.get("process_cpu_seconds").asDouble() > 0, "cpu " + json.get("process_cpu_seconds"));
    long rate = json.get("rows_per_second").asLong();
    assertEquals(expectedRows / wall, rate, Math.max(2.0, 0.01 * rate), "rows/s = rows / wall seconds");

    JsonNode ratio = json.get("window_ratio");
    double short1h = ratio.get("rolling_1h_seconds").asDouble();
    double long7d = ratio.get("rolling_7d_seconds").asDouble();
    assertTrue(short1h > 0 && long7d > 0, ratio.toString());
    assertEquals(long7d / short1h, ratio.get("ratio_7d_to_1h").asDouble(), 0.01, ratio.toString());
    double sameHalo1h = ratio.get("rolling_1h_on_7d_halo_seconds").asDouble();
    assertTrue(sameHalo1h > 0, ratio.toString());
    assertEquals(long7d / sameHalo1h, ratio.get("ratio_7d_to_1h_same_halo").asDouble(), 0.01, ratio.toString());
    assertTrue(json.get("quality_seconds").isNull(), "the quality stage is timed only when asked");
    assertEquals("run with --write-floor", json.get("write_floor").get("skipped").asText());

    JsonNode memory = json.get("memory");
    long rss = memory.get("peak_rss_bytes").asLong();
    long heapPeak = memory.get("heap_peak_bytes").asLong();
    assertTrue(heapPeak > 0, "heap peak " + heapPeak);
    assertTrue(memory.get("heap_max_mib").asLong() >= memory.get("heap_peak_mib").asLong(), memory.toString());
    if (Files.exists(Path.of("/proc/self/status"))) {
      // The resident set holds the heap that was in use (and the JVM's own native memory besides).
      assertTrue(rss > heapPeak / 2 && rss < 64L * 1024 * 1024 * 1024, memory.toString());
    }
    assertTrue(json.get("cores").asInt() >= 1);
    // The feature plan's shape: window passes with their functions, at least one sort and one shuffle.
    JsonNode plan = json.get("plan");
    assertTrue(plan.get("window_operators").asInt() >= 1, plan.toString());
    assertTrue(plan.get("window_functions").asInt() >= plan.get("window_operators").asInt(), plan.toString());
    assertTrue(plan.get("sorts").asInt() >= 1 && plan.get("exchanges").asInt() >= 1, plan.toString());
  }

  @Test
  void windowRatioCanBeSkippedAndTheQualityStageAndTheWriteFloorTimed() throws Exception {
    NowcastConfig config = ConfigLoader.load("none", dir, null, Map.of(), Map.of());
    BenchReport report = FeatureBench.run(SparkTestSession.get(), config,
        new FeatureBench.Options(null, 288L * 8, dir.resolve("bench2").toString(), null, false, true, true));
    JsonNode json = new ObjectMapper().readTree(report.toJson());

    JsonNode ratio = json.get("window_ratio");
    assertEquals("--no-window-ratio", ratio.get("skipped").asText(), ratio.toString());
    assertTrue(ratio.get("ratio_7d_to_1h") == null, "no ratio when skipped: " + ratio);
    assertTrue(json.get("quality_seconds").asDouble() > 0, "quality " + json.get("quality_seconds"));
    assertTrue(json.get("output").get("rows").asLong() == json.get("input").get("rows").asLong(), json.toString());

    JsonNode floor = json.get("write_floor");
    double readSort = floor.get("read_sort_seconds").asDouble();
    double rewrite = floor.get("read_sort_write_seconds").asDouble();
    assertTrue(readSort > 0 && rewrite > 0, floor.toString());
    assertEquals(rewrite - readSort, floor.get("write_seconds_estimate").asDouble(), 0.002, floor.toString());
    // The floor writes the whole table again, through the feature job's writer.
    Dataset<Row> copy = SparkTestSession.get().read().parquet(dir.resolve("bench2").resolve("write-floor").toString());
    assertEquals(json.get("output").get("rows").asLong(), copy.count());
    assertEquals(json.get("output").get("columns").asInt(), copy.columns().length);
  }

  @Test
  void syntheticSizeIsRegionsTimesDaysOfAtMostFiveYears() {
    for (long rows : new long[] {5_000, 5_800_000, 50_000_000}) {
      SyntheticSpec spec = FeatureBench.syntheticSpec(rows);
      long actual = (long) spec.regions() * spec.days() * 288;
      assertTrue(Math.abs(actual - rows) <= Math.max(288L * spec.regions(), rows / 100), rows + " -> " + actual);
      assertTrue(spec.days() <= FeatureBench.MAX_SYNTHETIC_DAYS, spec.toString());
    }
  }

  @Test
  void exactlyOneInputMustBeNamed() {
    IllegalArgumentException neither =
        assertThrows(IllegalArgumentException.class, () -> new FeatureBench.Options(null, 0, "out", null));
    assertTrue(neither.getMessage().contains("exactly one of --raw ROOT and --synthetic-rows N"));
    assertThrows(IllegalArgumentException.class, () -> new FeatureBench.Options("raw", 1000, "out", null));
  }
}
