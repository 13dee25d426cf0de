package io.nowcast.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.models.registry.PromotionGate.Verdict;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.ModelNotFoundException;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.models.tracking.TinyBoosters;
import io.nowcast.models.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registration and the promotion gate against a real MLflow server: each test registers real tiny
 * XGBoost models (through {@link ModelRegistrar}, artifacts and all) under its own model name.
 */
@ExtendWith(MlflowServerExtension.class)
class PromoterTest {
  private static final String EXPERIMENT = "promoter-test";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void registrationUploadsTheModelTagsTheVersionAndSetsStaging(@MlflowUri String uri) {
    String model = model();
    ModelVersion v = register(uri, model, metrics(40, 50), "folds-a");
    assertEquals(1, v.version());
    assertEquals(List.of(RegistryNames.STAGING), v.aliases());
    assertEquals("runs:/" + v.runId() + "/mlflow-model", v.source());
    assertEquals("40.0", v.tags().get("mae_h15"));
    assertEquals("50.0", v.tags().get("mae_h60"));
    assertEquals("folds-a", v.tags().get(RegistryNames.TAG_FOLDS_HASH));
    assertEquals("fp-123", v.tags().get(RegistryNames.TAG_DATA_FINGERPRINT));
    MlflowRestClient rest = new MlflowRestClient(uri);
    List<String> files = rest.listArtifacts(v.runId(), "mlflow-model").stream()
        .map(MlflowRestClient.ArtifactFile::path).sorted().toList();
    assertEquals(List.of("mlflow-model/MLmodel", "mlflow-model/conda.yaml", "mlflow-model/model.ubj",
        "mlflow-model/nowcast-bundle.json", "mlflow-model/python_env.yaml", "mlflow-model/requirements.txt"), files);
    // A second training run takes staging over.
    ModelVersion v2 = register(uri, model, metrics(39, 49), "folds-a");
    assertEquals(2, new ModelRegistryClient(uri).getByAlias(model, RegistryNames.STAGING).version());
    assertEquals(2, v2.version());
  }

  @Test
  void firstPromotionThenBetterPromotedThenWorseRejected(@MlflowUri String uri) throws IOException {
    String model = model();
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    Promoter promoter = new Promoter(uri, EXPERIMENT);
    register(uri, model, metrics(40, 60), "folds-a");

    Promoter.Result first = promoter.promote(new Promoter.Request(model, null, null, 0.0, false));
    assertEquals(Verdict.NO_PRODUCTION, first.decision().verdict());
    assertTrue(first.promoted());
    assertFalse(first.forced());
    assertEquals(Optional.empty(), first.previousProduction());
    assertEquals(1, registry.getByAlias(model, RegistryNames.PRODUCTION).version());

    register(uri, model, metrics(38, 57), "folds-a");
    Promoter.Result better = promoter.promote(new Promoter.Request(model, null, "staging", 0.02, false));
    assertEquals(Verdict.PASSED, better.decision().verdict());
    assertTrue(better.promoted());
    assertEquals(Optional.of(1), better.previousProduction());
    assertEquals(2, registry.getByAlias(model, RegistryNames.PRODUCTION).version());
    assertEquals("promoted", registry.getVersion(model, 2).tags().get(RegistryNames.TAG_PROMOTION_VERDICT));

    // Better at h15 but worse at h60: rejected, production unchanged.
    register(uri, model, metrics(30, 58), "folds-a");
    Promoter.Result worse = promoter.promote(new Promoter.Request(model, 3, null, 0.0, false));
    assertEquals(Verdict.REJECTED, worse.decision().verdict());
    assertFalse(worse.promoted());
    assertEquals(2, registry.getByAlias(model, RegistryNames.PRODUCTION).version());
    assertTrue(worse.decision().reason().contains("mae_h60"), worse.decision().reason());
    assertEquals("rejected", registry.getVersion(model, 3).tags().get(RegistryNames.TAG_PROMOTION_VERDICT));

    // The decision is logged: a promotion run with tags, metrics and decision.json, and the candidate's run.
    MlflowRestClient rest = new MlflowRestClient(uri);
    MlflowRestClient.RunData run = rest.getRun(worse.promotionRunId());
    assertEquals("rejected", run.tags().get("promotion.verdict"));
    assertEquals("3", run.tags().get("promotion.candidate_version"));
    assertEquals("2", run.tags().get("promotion.production_version"));
    assertEquals("false", run.tags().get("promotion.forced"));
    assertEquals((57.0 - 58.0) / 57.0, run.metrics().get("improvement_h60"), 1e-12);
    JsonNode decision = JSON.readTree(rest.downloadArtifact(worse.promotionRunId(), "promotion/decision.json"));
    assertEquals("rejected", decision.path("gate").asText());
    assertFalse(decision.path("promoted").asBoolean());
    assertEquals(2, decision.path("table").size());
    assertEquals(57.0, decision.path("table").get(1).path("production").asDouble());
    assertEquals(58.0, decision.path("table").get(1).path("candidate").asDouble());
    String candidateRun = registry.getVersion(model, 3).runId();
    assertEquals("rejected", rest.getRun(candidateRun).tags().get("promotion.verdict"));
    assertEquals(worse.promotionRunId(), rest.getRun(candidateRun).tags().get("promotion.run_id"));
    JsonNode onCandidate = JSON.readTree(rest.downloadArtifact(candidateRun, "promotion/decision.json"));
    assertEquals(3, onCandidate.path("candidate").path("version").asInt());
    assertTrue(rest.downloadArtifact(worse.promotionRunId(), "promotion/comparison.txt").length > 0);
  }

  @Test
  void differentFoldsAreRefusedAndForceIsLoggedAsForced(@MlflowUri String uri) throws IOException {
    String model = model();
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    Promoter promoter = new Promoter(uri, EXPERIMENT);
    register(uri, model, metrics(40, 60), "folds-a");
    promoter.promote(new Promoter.Request(model, 1, null, 0.0, false));
    register(uri, model, metrics(10, 10), "folds-b");

    Promoter.Result refused = promoter.promote(new Promoter.Request(model, null, null, 0.0, false));
    assertEquals(Verdict.REFUSED, refused.decision().verdict());
    assertFalse(refused.promoted());
    assertTrue(refused.decision().reason().contains("different folds"), refused.decision().reason());
    assertEquals(1, registry.getByAlias(model, RegistryNames.PRODUCTION).version());

    Promoter.Result forced = promoter.promote(new Promoter.Request(model, null, null, 0.0, true));
    assertTrue(forced.promoted());
    assertTrue(forced.forced());
    assertEquals(Verdict.REFUSED, forced.decision().verdict());
    assertEquals(2, registry.getByAlias(model, RegistryNames.PRODUCTION).version());
    MlflowRestClient rest = new MlflowRestClient(uri);
    MlflowRestClient.RunData run = rest.getRun(forced.promotionRunId());
    assertEquals("true", run.tags().get("promotion.forced"));
    assertEquals("forced", run.tags().get("promotion.verdict"));
    assertEquals("forced", registry.getVersion(model, 2).tags().get(RegistryNames.TAG_PROMOTION_VERDICT));
    JsonNode decision = JSON.readTree(rest.downloadArtifact(forced.promotionRunId(), "promotion/decision.json"));
    assertTrue(decision.path("forced").asBoolean());
    assertTrue(decision.path("force").asBoolean());
    assertTrue(Promoter.summary(forced).contains("FORCED"), Promoter.summary(forced));

    // Promoting the version that already is production changes nothing.
    Promoter.Result again = promoter.promote(new Promoter.Request(model, 2, null, 0.0, false));
    assertFalse(again.promoted());
    assertTrue(again.decision().reason().contains("already has the production alias"));
  }

  @Test
  void evidenceFallsBackToTheVersionsRunWhenItsTagsLackIt(@MlflowUri String uri) {
    String model = model();
    ModelRegistryClient registry = new ModelRegistryClient(uri);
    register(uri, model, metrics(40, 60), "folds-a");
    new Promoter(uri, EXPERIMENT).promote(new Promoter.Request(model, 1, null, 0.0, false));
    // A version registered by other tooling: no metric or folds tags, but its run has both.
    String runId;
    try (RunTracker run = RunTrackers.open(uri, EXPERIMENT, "train-elsewhere",
        Map.of(RegistryNames.TAG_FOLDS_HASH, "folds-a"))) {
      run.logMetrics(metrics(45, 50));
      run.finish(true);
      runId = run.runId();
    }
    registry.createVersion(model, "runs:/" + runId + "/mlflow-model", runId, Map.of());
    Promoter.Result result = new Promoter(uri, EXPERIMENT).promote(new Promoter.Request(model, 2, null, 0.0, false));
    assertEquals(Verdict.REJECTED, result.decision().verdict());
    assertEquals(45.0, result.decision().table().get(0).candidate());
    assertEquals(50.0, result.decision().table().get(1).candidate());
    assertTrue(result.decision().reason().endsWith("at mae_h15"), result.decision().reason());
  }

  @Test
  void missingModelAliasOrVersionAndServerDownAreClearErrors(@MlflowUri String uri) throws IOException {
    Promoter promoter = new Promoter(uri, EXPERIMENT);
    String missing = "no-such-" + UUID.randomUUID();
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> promoter.promote(new Promoter.Request(missing, null, null, 0.0, false)));
    assertTrue(e.getMessage().startsWith("registered model '" + missing + "' does not exist at "), e.getMessage());

    String model = model();
    register(uri, model, metrics(40, 60), "folds-a");
    e = assertThrows(ModelNotFoundException.class,
        () -> promoter.promote(new Promoter.Request(model, null, "challenger", 0.0, false)));
    assertTrue(e.getMessage().contains("has no alias 'challenger'"), e.getMessage());
    e = assertThrows(ModelNotFoundException.class,
        () -> promoter.promote(new Promoter.Request(model, 5, null, 0.0, false)));
    assertTrue(e.getMessage().contains("has no version 5"), e.getMessage());

    String down = "http://127.0.0.1:" + closedPort();
    TrackingUnavailableException t = assertThrows(TrackingUnavailableException.class,
        () -> new Promoter(down, EXPERIMENT).promote(new Promoter.Request(model, null, null, 0.0, false)));
    assertEquals("MLflow server at " + down + " is not reachable", t.getMessage());
  }

  /**
   * A training run that registers a tiny real model with these backtest metrics: from the booster
   * (odd versions) or from a bundle directory as training writes it (even versions), both entry points.
   */
  static ModelVersion register(String uri, String model, Map<String, Double> metrics, String foldsHash) {
    try (RunTracker run = RunTrackers.open(uri, EXPERIMENT, "train", Map.of())) {
      run.logMetrics(metrics);
      ModelVersion version;
      boolean fromBundle = new ModelRegistryClient(uri).latestVersion(model).map(v -> v.version() % 2 == 1)
          .orElse(false);
      if (!fromBundle) {
        version = ModelRegistrar.registerXgb(uri, model, run, TinyBoosters.quantile(7, 3),
            TinyBoosters.quantileBundle(), metrics, "fp-123", foldsHash);
      } else {
        java.nio.file.Path dir = null;
        try {
          dir = java.nio.file.Files.createTempDirectory("promoter-test-");
          java.nio.file.Files.write(dir.resolve("model.ubj"), TinyBoosters.quantile(8, 3).toByteArray("ubj"));
          TinyBoosters.quantileBundle().write(dir);
          version = ModelRegistrar.registerXgb(uri, model, run, dir, metrics, "fp-123", foldsHash);
        } catch (IOException | ml.dmlc.xgboost4j.java.XGBoostError e) {
          throw new IllegalStateException(e);
        }
      }
      run.finish(true);
      return version;
    }
  }

  static Map<String, Double> metrics(double maeH15, double maeH60) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("mae_h15", maeH15);
    metrics.put("mae_h60", maeH60);
    metrics.put("rmse_h15", maeH15 * 1.3);
    return metrics;
  }

  static String model() {
    return "promoter-test-" + UUID.randomUUID();
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
