package io.nowcast.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.nyiso.NyisoFeed;
import io.nowcast.ingest.nyiso.NyisoHttpSource;
import io.nowcast.ingest.progress.ProgressPrinter;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP ingest with an injected fault (500, then the file) reports its retries in the progress lines and the
 * report, and the report lands in a real MLflow server: metrics and {@code ingest/report.json}, read back over
 * REST.
 */
@ExtendWith(MlflowServerExtension.class)
class IngestJobTrackingTest {
  @TempDir Path dir;

  private static byte[] realDay(String name) throws IOException {
    Path archive = SharedData.require("nyiso/pal/20191101pal_csv.zip");
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(name)) {
          return zip.readAllBytes();
        }
      }
    }
    throw new AssertionError(name + " not in " + archive);
  }

  @Test
  void faultyHttpRunReportsRetriesAndTheReportIsLoggedToMlflow(@MlflowUri String trackingUri) throws Exception {
    byte[] day1 = realDay("20191101pal.csv");
    byte[] day2 = realDay("20191102pal.csv");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    HttpIngestOutcome outcome;
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      server.serve("/public/csv/pal/20191101pal.csv", day1).serve("/public/csv/pal/20191102pal.csv", day2);
      server.failNext("/public/csv/pal/20191102pal.csv", LoopbackHttpServer.Fault.status(500));
      HttpSettings fast = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
          Duration.ofMillis(100), Duration.ZERO, "test");
      outcome = NyisoHttpSource.ingest(SparkTestSession.get(), NyisoFeed.PAL, LocalDate.of(2019, 11, 1),
          LocalDate.of(2019, 11, 2), dir.resolve("data").toString(), fast, server.baseUri().resolve("/public/csv"),
          new ProgressPrinter(new PrintStream(progress, true, StandardCharsets.UTF_8), "nyiso", Duration.ofHours(1)));
    }
    IngestReport report = outcome.report();
    assertEquals(1, report.retries());
    String lines = progress.toString(StandardCharsets.UTF_8);
    long day1Lines = new String(day1, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count() - 1;
    assertTrue(lines.contains("nyiso: days 1/2, rows " + String.format(java.util.Locale.ROOT, "%,d", day1Lines) + ", retries 0"), lines);
    assertTrue(lines.contains("nyiso: days 2/2, rows " + String.format(java.util.Locale.ROOT, "%,d", report.totals().rowsParsed())
        + ", retries 1"), lines);
    assertEquals(2, lines.lines().count(), "first and last line only within the interval: " + lines);

    String runId;
    try (RunTracker run = RunTrackers.open(trackingUri, "it-ingest", "ingest", Map.of())) {
      IngestJob.logReport(run, report);
      run.finish(true);
      runId = run.runId();
    }
    MlflowRestClient rest = new MlflowRestClient(trackingUri);
    MlflowRestClient.RunData data = rest.getRun(runId);
    assertEquals("FINISHED", data.status());
    assertEquals(1.0, data.metrics().get("retries"));
    assertEquals((double) report.totals().rowsWritten(), data.metrics().get("rows_written"));
    assertEquals((double) report.totals().rowsParsed(), data.metrics().get("rows_parsed"));
    assertEquals(0.0, data.metrics().get("rows_quarantined"));
    assertEquals(2.0, data.metrics().get("files"));
    assertTrue(data.metrics().containsKey("seconds"));
    assertEquals("nyiso-pal", data.params().get("ingest.source"));
    String json = new String(rest.downloadArtifact(runId, "ingest/report.json"), StandardCharsets.UTF_8);
    assertEquals(report.toJson(), json);
  }
}
