package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelRegistryClient} against a real MLflow server (and a closed port). */
@ExtendWith(MlflowServerExtension.class)
class ModelRegistryClientTest {

  @Test
  void versionsAliasesAndTagsRoundTrip(@MlflowUri String uri) {
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    String name = "registry-client-" + UUID.randomUUID();
    String runId = newRun(uri);
    assertFalse(registry.registeredModelExists(name));
    assertEquals(Optional.empty(), registryLatest(registry, name));

    ModelVersion v1 = registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId,
        Map.of("mae_h15", "41.5", "data_fingerprint", "abc"));
    ModelVersion v2 = registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    assertEquals(1, v1.version());
    assertEquals(2, v2.version());
    assertEquals("runs:/" + runId + "/mlflow-model", v1.source());
    assertEquals(runId, v1.runId());
    assertEquals("READY", v1.status());
    assertEquals("models:/" + name + "/1", v1.modelUri());

    registry.setAlias(name, "staging", 2);
    registry.setAlias(name, "production", 1);
    assertEquals(2, registry.getByAlias(name, "staging").version());
    assertEquals(1, registry.getByAlias(name, "production").version());
    assertEquals(Map.of("staging", 2, "production", 1), registry.aliases(name));
    // Moving an alias.
    registry.setAlias(name, "production", 2);
    ModelVersion production = registry.getByAlias(name, "production");
    assertEquals(2, production.version());
    assertEquals(List.of("production", "staging"), production.aliases().stream().sorted().toList());

    registry.setVersionTag(name, 1, "promotion.verdict", "rejected");
    ModelVersion again = registry.getVersion(name, 1);
    assertEquals("rejected", again.tags().get("promotion.verdict"));
    assertEquals("41.5", again.tags().get("mae_h15"));
    assertEquals("abc", again.tags().get("data_fingerprint"));
    assertEquals(2, registry.latestVersion(name).orElseThrow().version());

    registry.deleteAlias(name, "staging");
    assertEquals(Optional.empty(), registry.findByAlias(name, "staging"));
    assertEquals(Map.of("production", 2), registry.aliases(name));
  }

  @Test
  void missingModelVersionAndAliasAreNamed(@MlflowUri String uri) {
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    String missing = "no-such-model-" + UUID.randomUUID();
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> registry.getByAlias(missing, "production"));
    assertEquals("registered model '" + missing + "' does not exist at " + registry.trackingUri()
        + " (register a version first: `nowcast train` with tracking on)", e.getMessage());
    assertThrows(ModelNotFoundException.class, () -> registry.getVersion(missing, 1));
    assertThrows(ModelNotFoundException.class, () -> registry.findByAlias(missing, "staging"));

    String name = "registry-client-" + UUID.randomUUID();
    String runId = newRun(uri);
    registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    registry.setAlias(name, "staging", 1);
    e = assertThrows(ModelNotFoundException.class, () -> registry.getByAlias(name, "production"));
    assertEquals("registered model '" + name + "' has no alias 'production' at " + registry.trackingUri()
        + " (its aliases: {staging=1})", e.getMessage());
    e = assertThrows(ModelNotFoundException.class, () -> registry.getVersion(name, 7));
    assertEquals("registered model '" + name + "' has no version 7 at " + registry.trackingUri(), e.getMessage());
    e = assertThrows(ModelNotFoundException.class, () -> registry.deleteAlias(name, "production"));
    assertTrue(e.getMessage().contains("has no alias 'production'"), e.getMessage());
    // Setting an alias to a version that does not exist is refused by MLflow, and named.
    RuntimeException bad = assertThrows(RuntimeException.class, () -> registry.setAlias(name, "production", 9));
    assertTrue(bad.getMessage().contains("production") && bad.getMessage().contains("9"), bad.getMessage());
  }

  @Test
  void versionsAreListedNewestFirstWithAliasesAndDownloadCopiesEveryFile(
      @MlflowUri String uri, @TempDir Path dir) throws IOException {
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    String name = "registry-client-" + UUID.randomUUID();
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("extra"));
    Files.writeString(model.resolve("nowcast-bundle.json"), "{\"format\": \"x\"}");
    byte[] bytes = new byte[3000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(model.resolve("extra").resolve("q 90.ubj"), bytes);
    String runId;
    try (RunTracker run = RunTrackers.open(uri, "registry-client-test", "files", Map.of())) {
      run.logArtifacts(model, "mlflow-model");
      run.finish(true);
      runId = run.runId();
    }
    registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    registry.createVersion(name, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    registry.setAlias(name, "production", 2);
    registry.setAlias(name, "staging", 2);

    List<ModelVersion> versions = registry.versions(name);
    assertEquals(List.of(3, 2, 1), versions.stream().map(ModelVersion::version).toList());
    assertEquals(List.of("production", "staging"), versions.get(1).aliases().stream().sorted().toList());
    assertEquals(List.of(), versions.get(0).aliases());
    assertThrows(ModelNotFoundException.class, () -> registry.versions("no-such-model-" + UUID.randomUUID()));

    Path target = registry.download(registry.getByAlias(name, "production"), dir.resolve("copy"));
    assertEquals(Files.readString(model.resolve("nowcast-bundle.json"), StandardCharsets.UTF_8),
        Files.readString(target.resolve("nowcast-bundle.json"), StandardCharsets.UTF_8));
    assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(target.resolve("extra").resolve("q 90.ubj"))));
    try (var files = Files.walk(target)) {
      assertEquals(2, files.filter(Files::isRegularFile).count(), "exactly the model's files");
    }
  }

  @Test
  void serverDownIsNamed() throws IOException {
    String uri = "http://127.0.0.1:" + MlflowRunTrackerTest.closedPort();
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    TrackingUnavailableException e =
        assertThrows(TrackingUnavailableException.class, () -> registry.getByAlias("power-nowcast-xgb", "production"));
    assertEquals("MLflow server at " + uri + " is not reachable", e.getMessage());
    assertThrows(TrackingUnavailableException.class,
        () -> registry.createVersion("power-nowcast-xgb", "runs:/x/mlflow-model", "x", Map.of()));
  }

  private static Optional<ModelVersion> registryLatest(ModelRegistryClient registry, String name) {
    return registry.latestVersion(name);
  }

  private static String newRun(String uri) {
    try (RunTracker run = RunTrackers.open(uri, "registry-client-test", "model", Map.of())) {
      run.finish(true);
      return run.runId();
    }
  }
}
