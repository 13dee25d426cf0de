package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.tracking.MlflowRestClient.ArtifactFile;
import io.nowcast.models.tracking.MlflowRestClient.RunData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.tracking.MlflowClient;

/** {@link RunTracker} against a real MLflow server, read back over REST with {@link MlflowRestClient}. */
@ExtendWith(MlflowServerExtension.class)
class MlflowRunTrackerTest {
  @TempDir Path tmp;

  private static String uniqueExperiment() {
    // A fresh experiment per test: the server may be shared (MLFLOW_TRACKING_URI) and runs accumulate.
    return "tracking-test-" + UUID.randomUUID();
  }

  @Test
  void runWithParamsMetricsTagsArtifactsAndChildReadsBackEqual(@MlflowUri String uri) throws IOException {
    Path png = writePng(tmp.resolve("mae by horizon.png"));
    Path report = Files.writeString(tmp.resolve("report.txt"), "MAE h15 41.25 MW — Ünïcode ok\n");
    Path spec = tmp.resolve("spec");
    Files.createDirectories(spec.resolve("stages"));
    Files.writeString(spec.resolve("feature_spec.json"), "{\"lags\":[1,2,3]}");
    Files.writeString(spec.resolve("stages").resolve("lag.json"), "{\"name\":\"lag\"}");
    Files.write(spec.resolve("stages").resolve("empty.bin"), new byte[0]);

    Map<String, String> params = new LinkedHashMap<>();
    params.put("model.max_depth", "6");
    params.put("regions", "NYC,CAPITL");
    params.put("weird key$é", "kept");
    params.put("long.value", "x".repeat(7000));
    Map<String, Double> metrics = Map.of("mae_h15", 41.25, "rmse_h60", 80.5, "skill_h60", 0.125);

    String runId;
    String childId;
    String uiUrl;
    Map<String, String> startTags = Map.of("config.hash", "deadbeef");
    try (RunTracker run = RunTrackers.open(uri, uniqueExperiment(), "pipeline", startTags)) {
      assertInstanceOf(MlflowRunTracker.class, run);
      assertTrue(run.isTracking());
      runId = run.runId();
      uiUrl = run.uiUrl();
      run.logParams(params);
      run.logMetrics(metrics);
      run.setTags(Map.of("git.commit", "abc123", "spark.version", "3.5.7"));
      run.logArtifact(png, "plots");
      run.logArtifact(report, null);
      run.logArtifacts(spec, "feature_spec");
      try (RunTracker child = run.startChild("xgboost")) {
        childId = child.runId();
        child.logParams(Map.of("device", "cpu"));
        child.logMetrics(Map.of("mae_h15", 40.0));
        child.logArtifact(report, "eval/report");
        child.finish(true);
      }
      run.finish(true);
    }

    MlflowRestClient rest = new MlflowRestClient(uri);
    RunData data = rest.getRun(runId);
    String experimentId = data.experimentId();
    assertEquals(uri.replaceAll("/+$", "") + "/#/experiments/" + experimentId + "/runs/" + runId, uiUrl);
    assertEquals("FINISHED", data.status());
    assertEquals("pipeline", data.runName());
    assertTrue(data.artifactUri().startsWith("mlflow-artifacts:/"), data.artifactUri());
    assertEquals("6", data.params().get("model.max_depth"));
    assertEquals("NYC,CAPITL", data.params().get("regions"));
    assertEquals("kept", data.params().get("weird key__"), "key sanitised: " + data.params().keySet());
    assertEquals("x".repeat(6000), data.params().get("long.value"), "value cut to MLflow's limit");
    assertEquals(4, data.params().size());
    assertEquals(metrics, data.metrics());
    assertEquals("abc123", data.tags().get("git.commit"));
    assertEquals("3.5.7", data.tags().get("spark.version"));
    assertEquals("deadbeef", data.tags().get("config.hash"));
    assertEquals("pipeline", data.tags().get("mlflow.runName"));

    RunData child = rest.getRun(childId);
    assertEquals("FINISHED", child.status());
    assertEquals(experimentId, child.experimentId());
    assertEquals(runId, child.tags().get("mlflow.parentRunId"));
    assertEquals("xgboost", child.runName());
    assertEquals(Map.of("mae_h15", 40.0), child.metrics());
    assertEquals(Map.of("device", "cpu"), child.params());

    assertEquals(
        Set.of(new ArtifactFile("plots", true, 0), new ArtifactFile("feature_spec", true, 0),
            new ArtifactFile("report.txt", false, Files.size(report))),
        Set.copyOf(rest.listArtifacts(runId, "")));
    assertEquals(
        List.of(new ArtifactFile("plots/mae by horizon.png", false, Files.size(png))),
        rest.listArtifacts(runId, "plots"));
    assertEquals(
        Set.of("feature_spec/feature_spec.json", "feature_spec/stages"),
        rest.listArtifacts(runId, "feature_spec").stream().map(ArtifactFile::path).collect(Collectors.toSet()));
    assertEquals(
        Set.of(new ArtifactFile("feature_spec/stages/lag.json", false, 14),
            new ArtifactFile("feature_spec/stages/empty.bin", false, 0)),
        Set.copyOf(rest.listArtifacts(runId, "feature_spec/stages")));

    assertArrayEquals(Files.readAllBytes(png), rest.downloadArtifact(runId, "plots/mae by horizon.png"));
    assertArrayEquals(Files.readAllBytes(report), rest.downloadArtifact(runId, "report.txt"));
    assertArrayEquals(
        Files.readAllBytes(spec.resolve("stages").resolve("lag.json")),
        rest.downloadArtifact(runId, "feature_spec/stages/lag.json"));
    assertArrayEquals(new byte[0], rest.downloadArtifact(runId, "feature_spec/stages/empty.bin"));
    Path copy = tmp.resolve("download").resolve("copy.png");
    rest.downloadArtifact(runId, "plots/mae by horizon.png", copy);
    assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(copy));
    assertArrayEquals(Files.readAllBytes(report), rest.downloadArtifact(childId, "eval/report/report.txt"));
  }

  @Test
  void closingWithoutFinishMarksRunAndOpenChildrenFailed(@MlflowUri String uri) {
    String runId;
    String childId;
    try (RunTracker run = RunTrackers.open(uri, uniqueExperiment(), "crashes", Map.of())) {
      runId = run.runId();
      childId = run.startChild("lstm").runId();
    }
    MlflowRestClient rest = new MlflowRestClient(uri);
    assertEquals("FAILED", rest.getRun(runId).status());
    assertEquals("FAILED", rest.getRun(childId).status());
  }

  @Test
  void moreParamsTagsAndMetricsThanOneBatchHolds(@MlflowUri String uri) {
    // The server refuses log-batch requests with over 100 params or tags, or over 1000 metrics.
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> tags = new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int i = 0; i < 250; i++) {
      params.put("config.key" + i, "v" + i);
      tags.put("tag" + i, "t" + i);
    }
    for (int i = 0; i < 2100; i++) {
      metrics.put("m" + i, i / 4.0);
    }
    String runId;
    try (RunTracker run = RunTrackers.open(uri, uniqueExperiment(), "big", Map.of())) {
      runId = run.runId();
      run.logParams(params);
      run.setTags(tags);
      run.logMetrics(metrics, 3);
      run.finish(true);
    }
    RunData data = new MlflowRestClient(uri).getRun(runId);
    assertEquals(params, data.params());
    assertEquals(metrics, data.metrics());
    assertTrue(data.tags().entrySet().containsAll(tags.entrySet()));
  }

  @Test
  void nonFiniteMetricsAreAccepted(@MlflowUri String uri) {
    // MAPE is infinite or NaN when the actual load is 0; the run must not fail because of it. MLflow's
    // SQL store keeps NaN but stores +/-Infinity as +/-Double.MAX_VALUE (SQL has no infinities).
    String runId;
    try (RunTracker run = RunTrackers.open(uri, uniqueExperiment(), "nan", Map.of())) {
      runId = run.runId();
      run.logMetrics(Map.of(
          "mape_h15", Double.NaN, "mape_h30", Double.POSITIVE_INFINITY, "mape_h45", Double.NEGATIVE_INFINITY));
      run.finish(true);
    }
    assertEquals(
        Map.of("mape_h15", Double.NaN, "mape_h30", Double.MAX_VALUE, "mape_h45", -Double.MAX_VALUE),
        new MlflowRestClient(uri).getRun(runId).metrics());
  }

  @Test
  void changingAParamValueFailsNamingTheCallAndTheKey(@MlflowUri String uri) {
    try (RunTracker run = RunTrackers.open(uri, uniqueExperiment(), "params", Map.of())) {
      run.logParams(Map.of("horizon", "15"));
      run.logParams(Map.of("horizon", "15")); // the same value again is fine
      MlflowRequestException e =
          assertThrows(MlflowRequestException.class, () -> run.logParams(Map.of("horizon", "30")));
      assertEquals(400, e.status());
      assertEquals("INVALID_PARAMETER_VALUE", e.errorCode());
      assertTrue(e.getMessage().startsWith("POST " + e.url() + " failed with HTTP 400"), e.getMessage());
      assertTrue(e.url().endsWith("/api/2.0/mlflow/runs/log-batch"), e.url());
      assertTrue(e.getMessage().contains("horizon"), e.getMessage());
    }
  }

  @Test
  void sameExperimentIsReusedByLaterRuns(@MlflowUri String uri) {
    String experiment = uniqueExperiment();
    try (MlflowRunTracker first = MlflowRunTracker.start(uri, experiment, "a", Map.of());
        MlflowRunTracker second = MlflowRunTracker.start(uri, experiment, "b", Map.of())) {
      assertEquals(first.experimentId(), second.experimentId());
      first.finish(true);
      second.finish(true);
    }
  }

  @Test
  void experimentWithAPlainArtifactRootIsRefusedClearly(@MlflowUri String uri) {
    // Stands in for a server started without --serve-artifacts: runs get a file: artifact URI.
    String experiment = uniqueExperiment();
    try (MlflowClient client = new MlflowClient(uri)) {
      client.createExperiment(CreateExperiment.newBuilder()
          .setName(experiment)
          .setArtifactLocation(tmp.resolve("plain-root").toUri().toString())
          .build());
    }
    IllegalStateException e = assertThrows(
        IllegalStateException.class, () -> RunTrackers.open(uri, experiment, "plain", Map.of()));
    assertTrue(e.getMessage().contains("must run with --serve-artifacts"), e.getMessage());
    assertTrue(e.getMessage().contains("file:"), e.getMessage());
  }

  @Test
  void deletedExperimentIsRefusedClearly(@MlflowUri String uri) {
    String experiment = uniqueExperiment();
    try (MlflowClient client = new MlflowClient(uri)) {
      client.deleteExperiment(client.createExperiment(experiment));
    }
    IllegalStateException e = assertThrows(
        IllegalStateException.class, () -> RunTrackers.open(uri, experiment, "x", Map.of()));
    assertTrue(e.getMessage().contains("is deleted"), e.getMessage());
  }

  @Test
  void noTrackingUriGivesANoopTracker(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "a");
    for (String none : new String[] {null, "", "  "}) {
      try (RunTracker run = RunTrackers.open(none, null, "offline", Map.of("k", "v"))) {
        NoopRunTracker noop = assertInstanceOf(NoopRunTracker.class, run);
        assertTrue(noop.reason().contains("MLFLOW_TRACKING_URI"), noop.reason());
        assertEquals("untracked", run.runId());
        assertFalse(run.isTracking());
        assertEquals("", run.uiUrl());
        run.logParams(Map.of("p", "1"));
        run.logMetrics(Map.of("m", 1.0));
        run.setTags(Map.of("t", "1"));
        run.logArtifact(file, "x");
        run.logArtifacts(dir, "x");
        try (RunTracker child = run.startChild("child")) {
          assertEquals("untracked", child.runId());
          child.finish(true);
        }
        run.finish(true);
      }
    }
  }

  @Test
  void unreachableServerFailsAtOpenWithAClearMessage() throws IOException {
    String uri = "http://127.0.0.1:" + closedPort();
    TrackingUnavailableException e = assertThrows(
        TrackingUnavailableException.class, () -> RunTrackers.open(uri, null, "x", Map.of()));
    assertEquals("MLflow server at " + uri + " is not reachable", e.getMessage());
  }

  @Test
  void nonHttpTrackingUriIsRefused() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> RunTrackers.open("file:///tmp/mlruns", null, "x", Map.of()));
    assertTrue(e.getMessage().contains("http(s)://"), e.getMessage());
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path writePng(Path path) throws IOException {
    BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 32);
    g.setColor(Color.BLUE);
    g.drawLine(0, 31, 63, 0);
    g.dispose();
    ImageIO.write(image, "png", path.toFile());
    byte[] magic = Arrays.copyOf(Files.readAllBytes(path), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
    return path;
  }
}
