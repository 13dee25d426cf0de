package io.nowcast.models.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nowcast.models.registry.PromotionGate.Decision;
import io.nowcast.models.registry.PromotionGate.Evidence;
import io.nowcast.models.registry.PromotionGate.Row;
import io.nowcast.models.tracking.MlflowRestClient;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the promotion gate against the registry: picks the candidate (a version number or an alias,
 * {@value RegistryNames#STAGING} by default), reads both versions' evidence (the {@code mae_h*} and
 * {@value RegistryNames#TAG_FOLDS_HASH} version tags, falling back to the metrics of the version's run),
 * decides with {@link PromotionGate}, moves {@value RegistryNames#PRODUCTION} when the gate passes or
 * {@code force} is set, and records everything in MLflow:
 *
 * <ul>
 *   <li>a run {@code promote <model> v<N>} in the experiment, with {@code promotion.*} tags, the
 *       per-horizon improvements as metrics and {@code promotion/decision.json} plus
 *       {@code promotion/comparison.txt} as artifacts;
 *   <li>the same {@code decision.json} and {@code promotion.*} tags on the candidate's training run;
 *   <li>tags {@value RegistryNames#TAG_PROMOTION_VERDICT} and {@value RegistryNames#TAG_PROMOTION_RUN}
 *       on the candidate version.
 * </ul>
 */
public final class Promoter {
  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String trackingUri;
  private final String experiment;
  private final ModelRegistryClient registry;
  private final MlflowRestClient runs;

  /**
   * @param experiment where the promotion run goes (null: the default experiment)
   */
  public Promoter(String trackingUri, String experiment) {
    this.trackingUri = trackingUri;
    this.experiment = experiment;
    this.registry = new ModelRegistryClient(trackingUri);
    this.runs = new MlflowRestClient(trackingUri);
  }

  /**
   * What to promote.
   *
   * @param version the candidate's version number, or null to use {@code alias}
   * @param alias the candidate's alias when {@code version} is null (default staging)
   * @param margin required relative MAE improvement at every horizon, in [0, 1)
   * @param force promote whatever the gate says (logged as forced)
   */
  public record Request(String model, Integer version, String alias, double margin, boolean force) {
    public Request {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("model name must not be blank");
      }
      if (version != null && version < 1) {
        throw new IllegalArgumentException("model version must be 1 or more, got " + version);
      }
      if (version == null && (alias == null || alias.isBlank())) {
        alias = RegistryNames.STAGING;
      }
      PromotionGate.checkMargin(margin);
    }
  }

  /**
   * The outcome.
   *
   * @param previousProduction the version production pointed at before, if any
   * @param promoted whether production now points at the candidate
   * @param forced promoted only because of {@code --force}
   * @param promotionRunId the MLflow run holding the decision ("" when nothing was logged)
   */
  public record Result(String model, int candidate, Optional<Integer> previousProduction, Decision decision,
      boolean promoted, boolean forced, String promotionRunId) {}

  /** Decides and, when allowed, moves production. */
  public Result promote(Request request) {
    ModelVersion candidate = request.version() != null
        ? registry.getVersion(request.model(), request.version())
        : registry.getByAlias(request.model(), request.alias());
    Optional<ModelVersion> production = registry.findByAlias(request.model(), RegistryNames.PRODUCTION);
    if (production.isPresent() && production.get().version() == candidate.version()) {
      Decision same = new Decision(PromotionGate.Verdict.REFUSED,
          "version " + candidate.version() + " already has the production alias", List.of(), request.margin());
      return new Result(request.model(), candidate.version(), Optional.of(candidate.version()), same, false,
          false, "");
    }
    Decision decision = PromotionGate.decide(evidence(candidate), production.map(this::evidence), request.margin());
    boolean promote = decision.verdict().promotes() || request.force();
    boolean forced = promote && !decision.verdict().promotes();
    Optional<Integer> previous = production.map(ModelVersion::version);
    Result pending = new Result(request.model(), candidate.version(), previous, decision, promote, forced, "");
    if (promote) {
      // Move the alias before anything records "promoted": if the move fails, no run or tag claims it.
      try {
        registry.setAlias(request.model(), RegistryNames.PRODUCTION, candidate.version());
      } catch (RuntimeException e) {
        LOG.error("promotion of {} v{} FAILED: the {} alias could not be moved ({}); production still"
                + " points at {}; nothing was logged to MLflow",
            request.model(), candidate.version(), RegistryNames.PRODUCTION, e.getMessage(),
            previous.map(v -> "v" + v).orElse("no version"));
        throw e;
      }
    }
    String runId;
    try {
      runId = log(request, candidate, pending);
    } catch (RuntimeException e) {
      if (promote) {
        LOG.error("{} v{} IS in production now, but recording the decision in MLflow failed: {}",
            request.model(), candidate.version(), e.getMessage());
      }
      throw e;
    }
    String verdict = promote ? (forced ? "forced" : "promoted") : decision.verdict().label();
    registry.setVersionTag(request.model(), candidate.version(), RegistryNames.TAG_PROMOTION_VERDICT, verdict);
    registry.setVersionTag(request.model(), candidate.version(), RegistryNames.TAG_PROMOTION_RUN, runId);
    LOG.info("promotion of {} v{} over {}: {} ({}){}", request.model(), candidate.version(),
        previous.map(v -> "v" + v).orElse("no production"), verdict, decision.reason(),
        promote ? "; production -> v" + candidate.version() : "");
    return new Result(request.model(), candidate.version(), previous, decision, promote, forced, runId);
  }

  /** The version's metrics and folds hash: its tags first, else the metrics of its run. */
  Evidence evidence(ModelVersion version) {
    Map<Integer, Double> mae = RegistryNames.gateMetrics(version.tags());
    String folds = version.tags().get(RegistryNames.TAG_FOLDS_HASH);
    if ((mae.isEmpty() || folds == null || folds.isBlank()) && !version.runId().isBlank()) {
      MlflowRestClient.RunData run = runs.getRun(version.runId());
      if (mae.isEmpty()) {
        mae = RegistryNames.gateMetrics(run.metrics());
      }
      if (folds == null || folds.isBlank()) {
        folds = run.tags().get(RegistryNames.TAG_FOLDS_HASH);
      }
    }
    return new Evidence(version.version(), version.runId(), mae, folds == null || folds.isBlank() ? null : folds);
  }

  /** Logs the decision to a promotion run and to the candidate's run; returns the promotion run's id. */
  private String log(Request request, ModelVersion candidate, Result result) {
    Map<String, Object> document = decisionDocument(request, candidate, result);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("nowcast-promotion-");
      Path json = dir.resolve("decision.json");
      JSON.writeValue(json.toFile(), document);
      Path text = dir.resolve("comparison.txt");
      Files.writeString(text, summary(result) + "\n\n" + PromotionGate.render(result.decision()));
      Map<String, String> tags = tags(request, candidate, result);
      String runId;
      try (RunTracker run = RunTrackers.open(trackingUri, experiment,
          "promote " + request.model() + " v" + candidate.version(), tags)) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Row row : result.decision().table()) {
          if (Double.isFinite(row.improvement())) {
            metrics.put("improvement_h" + row.horizon(), row.improvement());
          }
        }
        if (!metrics.isEmpty()) {
          run.logMetrics(metrics);
        }
        run.logArtifact(json, "promotion");
        run.logArtifact(text, "promotion");
        run.finish(true);
        runId = run.runId();
      }
      if (!candidate.runId().isBlank()) {
        // "Logged to the run": the candidate's training run carries the latest decision about it.
        runs.uploadArtifact(candidate.runId(), json, "promotion");
        tags.forEach((key, value) -> runs.setRunTag(candidate.runId(), key, value));
        runs.setRunTag(candidate.runId(), RegistryNames.TAG_PROMOTION_RUN, runId);
      }
      return runId;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the promotion decision", e);
    } finally {
      if (dir != null) {
        for (String name : List.of("decision.json", "comparison.txt")) {
          dir.resolve(name).toFile().delete();
        }
        dir.toFile().delete();
      }
    }
  }

  private static Map<String, String> tags(Request request, ModelVersion candidate, Result result) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("promotion.model", request.model());
    tags.put("promotion.candidate_version", Integer.toString(candidate.version()));
    tags.put("promotion.production_version", result.previousProduction().map(String::valueOf).orElse("none"));
    tags.put("promotion.gate", result.decision().verdict().label());
    tags.put(RegistryNames.TAG_PROMOTION_VERDICT,
        result.promoted() ? (result.forced() ? "forced" : "promoted") : result.decision().verdict().label());
    tags.put("promotion.promoted", Boolean.toString(result.promoted()));
    tags.put("promotion.forced", Boolean.toString(result.forced()));
    tags.put("promotion.margin", Double.toString(request.margin()));
    tags.put("promotion.reason", result.decision().reason());
    return tags;
  }

  private static Map<String, Object> decisionDocument(Request request, ModelVersion candidate, Result result) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", request.model());
    doc.put("decided_at", Instant.now().toString());
    doc.put("candidate", Map.of("version", candidate.version(), "run_id", candidate.runId(),
        "selected_by", request.version() != null ? "version" : "alias " + request.alias()));
    doc.put("production_before", result.previousProduction().orElse(null));
    doc.put("margin", request.margin());
    doc.put("gate", result.decision().verdict().label());
    doc.put("reason", result.decision().reason());
    doc.put("force", request.force());
    doc.put("forced", result.forced());
    doc.put("promoted", result.promoted());
    List<Map<String, Object>> table = result.decision().table().stream().map(row -> {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("horizon", row.horizon());
      r.put("metric", row.metric());
      r.put("production", row.production());
      r.put("candidate", row.candidate());
      r.put("improvement", Double.isFinite(row.improvement()) ? row.improvement() : null);
      r.put("passes", row.passes());
      return r;
    }).toList();
    doc.put("table", table);
    return doc;
  }

  /** One line: what happened and why. */
  public static String summary(Result result) {
    String head = result.model() + " v" + result.candidate() + ": ";
    if (result.promoted()) {
      return head + (result.forced() ? "FORCED to production despite the gate (" : "promoted to production (")
          + result.decision().reason() + ")"
          + result.previousProduction().map(v -> "; was v" + v).orElse("");
    }
    return head + "not promoted, gate " + result.decision().verdict().label() + ": " + result.decision().reason()
        + result.previousProduction().map(v -> "; production stays v" + v).orElse("");
  }
}
