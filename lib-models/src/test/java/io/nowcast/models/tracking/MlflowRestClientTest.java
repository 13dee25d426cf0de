package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Error reporting of {@link MlflowRestClient} against a real server and a closed port. */
@ExtendWith(MlflowServerExtension.class)
class MlflowRestClientTest {

  @Test
  void unknownRunNamesUrlStatusAndMlflowError(@MlflowUri String uri) {
    MlflowRestClient rest = new MlflowRestClient(uri);
    MlflowRequestException e = assertThrows(MlflowRequestException.class, () -> rest.getRun("0123456789abcdef"));
    assertEquals(404, e.status());
    assertEquals("RESOURCE_DOES_NOT_EXIST", e.errorCode());
    assertEquals(rest.trackingUri() + "/api/2.0/mlflow/runs/get?run_id=0123456789abcdef", e.url());
    assertTrue(e.getMessage().startsWith("GET " + e.url() + " failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: "),
        e.getMessage());
  }

  @Test
  void missingArtifactAndMissingDirectory(@MlflowUri String uri) {
    String runId;
    try (RunTracker run = RunTrackers.open(uri, "rest-client-test", "empty", Map.of())) {
      runId = run.runId();
      run.finish(true);
    }
    MlflowRestClient rest = new MlflowRestClient(uri);
    // MLflow lists an absent directory as empty rather than answering 404.
    assertEquals(List.of(), rest.listArtifacts(runId, "no/such/dir"));
    assertEquals(List.of(), rest.listArtifacts(runId, null));
    // The artifact proxy answers a missing file with 500 INTERNAL_ERROR, not 404.
    MlflowRequestException e =
        assertThrows(MlflowRequestException.class, () -> rest.downloadArtifact(runId, "nope.txt"));
    assertTrue(e.url().endsWith("/api/2.0/mlflow-artifacts/artifacts/" + artifactPath(rest, runId) + "/nope.txt"),
        e.url());
    assertTrue(e.status() >= 400, e.getMessage());
  }

  @Test
  void unreachableServerIsNamed() throws IOException {
    String uri = "http://127.0.0.1:" + MlflowRunTrackerTest.closedPort();
    MlflowRestClient rest = new MlflowRestClient(uri + "/");
    TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class, () -> rest.getRun("abc"));
    assertEquals("MLflow server at " + uri + " is not reachable", e.getMessage());
  }

  private static String artifactPath(MlflowRestClient rest, String runId) {
    return rest.getRun(runId).artifactUri().substring("mlflow-artifacts:/".length());
  }
}
