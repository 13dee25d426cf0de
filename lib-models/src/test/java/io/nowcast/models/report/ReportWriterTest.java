package io.nowcast.models.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.MlflowRestClient.ArtifactFile;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.testing.SparkTestSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole report from evaluation rows, written to disk and logged to a real MLflow server. */
@ExtendWith(MlflowServerExtension.class)
class ReportWriterTest {
  /** A region name from data, carrying markup: it must reach the page escaped. */
  private static final String EVIL_REGION = "<script>alert(1)</script>";
  private static final List<HorizonMetrics> METRICS = List.of(
      new HorizonMetrics("xgboost", 15, 100, 10.5, 14.0, 0.8, 0.4),
      new HorizonMetrics("persistence", 15, 100, 17.5, 22.0, 1.2, Double.NaN));

  private static SparkSession spark;
  private static Dataset<Row> rows;

  @TempDir Path tmp;

  @BeforeAll
  static void data() {
    spark = SparkTestSession.get();
    rows = EvaluationFixture.dataset(spark, EvaluationFixture.rows(3, List.of("TOTAL", EVIL_REGION))).cache();
  }

  @Test
  void writesChartsAndASelfContainedPageAndLogsThemToMlflow(@MlflowUri String uri) throws IOException {
    Path out = tmp.resolve("report");
    ReportSpec spec = ReportSpec.defaults().withSampleRegion(EVIL_REGION).withZone(ZoneId.of("America/New_York"));
    RunMetadata meta = new RunMetadata("Backtest " + EVIL_REGION, "run-x", "abc123", "fp-1",
        Map.of("regions", EVIL_REGION));
    Map<String, Double> importance = Map.of("x_rel_lag_5m", 120.0, "hour_sin", 30.0, "temp_c", 12.5);

    ReportResult result = ReportWriter.write(rows, List.of(ReportTable.of(METRICS)), importance, meta, spec, out);

    assertEquals(out.toAbsolutePath(), result.dir());
    assertEquals(EVIL_REGION, result.region());
    assertEquals(60, result.horizonMin(), "default: the longest horizon");
    assertEquals(List.of("iso", "persistence", "xgboost"), result.models());
    Set<String> expectedFiles = Set.of(ReportWriter.HTML, ReportWriter.FORECAST_VS_ACTUAL, ReportWriter.ERROR_BY_HORIZON,
        ReportWriter.ERROR_BY_HOUR, ReportWriter.RESIDUALS, ReportWriter.FEATURE_IMPORTANCE);
    assertEquals(expectedFiles, listFiles(out));
    assertEquals(Set.of(), listFiles(tmp).stream().filter(f -> f.contains(".tmp-")).collect(Collectors.toSet()),
        "no temporary directory left");

    // Scored on the common cells only: every model has the same count at each horizon.
    ErrorByHorizon common = ErrorByHorizon.compute(EvaluationRows.commonRows(EvaluationRows.usable(rows)));
    assertEquals(common.entries().stream().mapToLong(ErrorByHorizon.Entry::count).sum(), result.scoredRows());

    String html = Files.readString(result.html(), StandardCharsets.UTF_8);
    List<byte[]> embedded = HtmlReportTest.dataUris(html);
    assertEquals(5, embedded.size());
    for (int i = 0; i < result.charts().size(); i++) {
      byte[] png = Files.readAllBytes(result.charts().get(i));
      assertArrayEquals(png, embedded.get(i), "data URI " + i + " is " + result.charts().get(i).getFileName());
      BufferedImage image = ReportChartsTest.decode(png, widthOf(result.charts().get(i)), heightOf(result.charts().get(i)));
      assertTrue(ReportChartsTest.distinctColours(image) > 20, result.charts().get(i) + " looks blank");
    }
    assertFalse(html.toLowerCase().contains("<script"), "the region name's markup must be escaped");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("run-x") && html.contains("abc123") && html.contains("fp-1"));

    // The directory is what RunTracker.logArtifacts expects; read it back over REST.
    String runId;
    try (RunTracker run = RunTrackers.open(uri, "report-test-" + UUID.randomUUID(), "report", Map.of())) {
      runId = run.runId();
      run.logArtifacts(result.dir(), "plots");
      run.finish(true);
    }
    MlflowRestClient rest = new MlflowRestClient(uri);
    Map<String, Long> listed = new HashMap<>();
    for (ArtifactFile f : rest.listArtifacts(runId, "plots")) {
      listed.put(f.path(), f.size());
    }
    Map<String, Long> local = new HashMap<>();
    for (String name : expectedFiles) {
      local.put("plots/" + name, Files.size(out.resolve(name)));
    }
    assertEquals(local, listed);
    assertArrayEquals(Files.readAllBytes(result.html()), rest.downloadArtifact(runId, "plots/" + ReportWriter.HTML));
  }

  @Test
  void defaultsPickTheLargestRegionAndLeaveOutAMissingImportance() throws IOException {
    Path out = tmp.resolve("plain");
    ReportResult result = ReportWriter.write(rows, METRICS, Map.of(),
        new RunMetadata("Evaluation", "untracked", "", "", Map.of()), out);
    assertEquals("TOTAL", result.region(), "the region with the largest mean load");
    assertEquals(4, result.charts().size());
    assertFalse(Files.exists(out.resolve(ReportWriter.FEATURE_IMPORTANCE)));
    assertTrue(Files.readString(result.html()).contains("No feature importance was given"));
    assertTrue(result.millis().get("total") >= result.millis().get("render_png"));
  }

  @Test
  void refusesANonEmptyDirectoryAndBadInputBeforeWritingAnything() throws IOException {
    Path used = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(used.resolve("old.txt"), "keep me");
    RunMetadata meta = new RunMetadata("x", "", "", "", Map.of());
    IllegalArgumentException notEmpty = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows, METRICS, Map.of(), meta, used));
    assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
    assertEquals(Set.of("old.txt"), listFiles(used));

    Path fresh = tmp.resolve("fresh");
    IllegalArgumentException noColumn = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows.drop("p50"), METRICS, Map.of(), meta, fresh));
    assertTrue(noColumn.getMessage().contains("[p50]"), noColumn.getMessage());
    IllegalArgumentException noRows = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows.where("actual_mw < 0"), METRICS, Map.of(), meta, fresh));
    assertTrue(noRows.getMessage().contains("nothing to report"), noRows.getMessage());
    IllegalArgumentException badHorizon = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows, List.of(), Map.of(), meta, ReportSpec.defaults().withHorizonMin(45), fresh));
    assertTrue(badHorizon.getMessage().contains("horizon 45 min is not in the data"), badHorizon.getMessage());
    IllegalArgumentException badRegion = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows, List.of(), Map.of(), meta, ReportSpec.defaults().withSampleRegion("MARS"), fresh));
    assertTrue(badRegion.getMessage().contains("region MARS"), badRegion.getMessage());
    IllegalArgumentException badScore = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(rows, METRICS, Map.of("f", -1.0), meta, fresh));
    assertTrue(badScore.getMessage().contains("feature f"), badScore.getMessage());
    assertFalse(Files.exists(fresh), "nothing written on failure");
  }

  private static int widthOf(Path png) {
    return png.getFileName().toString().equals(ReportWriter.FORECAST_VS_ACTUAL) ? 1400 : 1000;
  }

  private static int heightOf(Path png) {
    String name = png.getFileName().toString();
    if (name.equals(ReportWriter.FORECAST_VS_ACTUAL)) {
      return 560;
    }
    return name.equals(ReportWriter.FEATURE_IMPORTANCE) ? 140 + 24 * 3 : 520;
  }

  private static Set<String> listFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
