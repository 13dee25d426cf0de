package io.nowcast.models.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The promotion rule, as a pure function of the two versions' evidence: a candidate replaces
 * production only if it was backtested on the same folds and its MAE is lower at every horizon
 * production was scored on, by at least {@code margin} relative to production's MAE
 * ({@code (mae_prod − mae_cand) / mae_prod ≥ margin}, and strictly lower when the margin is 0).
 * No production yet: the candidate passes.
 */
public final class PromotionGate {

  /** What the gate says. */
  public enum Verdict {
    /** No production version: the candidate becomes the first. */
    NO_PRODUCTION,
    /** Better at every horizon by the margin. */
    PASSED,
    /** Compared, and not better enough at some horizon. */
    REJECTED,
    /** Not comparable (other folds, missing metrics): no decision on merit. */
    REFUSED;

    /** True when the candidate may be promoted without {@code --force}. */
    public boolean promotes() {
      return this == NO_PRODUCTION || this == PASSED;
    }

    /** Lower-case name, as logged in tags. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What the registry knows about one version.
   *
   * @param mae the gate metric per horizon (minutes → MAE)
   * @param foldsHash the {@value RegistryNames#TAG_FOLDS_HASH} tag, or null when absent
   */
  public record Evidence(int version, String runId, Map<Integer, Double> mae, String foldsHash) {
    public Evidence {
      mae = Map.copyOf(mae);
    }
  }

  /**
   * One horizon of the comparison.
   *
   * @param improvement relative MAE improvement {@code (production − candidate) / production}
   */
  public record Row(int horizon, double production, double candidate, double improvement, boolean passes) {
    /** The metric's name, {@code mae_h<horizon>}. */
    public String metric() {
      return RegistryNames.gateMetric(horizon);
    }
  }

  /** The verdict, why, and the comparison table (empty when nothing was compared). */
  public record Decision(Verdict verdict, String reason, List<Row> table, double margin) {
    public Decision {
      table = List.copyOf(table);
    }
  }

  private PromotionGate() {}

  /**
   * Decides whether {@code candidate} may replace {@code production}.
   *
   * @param margin required relative improvement at each horizon, in [0, 1)
   */
  public static Decision decide(Evidence candidate, Optional<Evidence> production, double margin) {
    checkMargin(margin);
    Objects.requireNonNull(candidate, "candidate");
    if (production.isEmpty()) {
      return new Decision(Verdict.NO_PRODUCTION, "no version has the production alias yet", List.of(), margin);
    }
    Evidence prod = production.get();
    if (candidate.foldsHash() == null || prod.foldsHash() == null) {
      Evidence without = candidate.foldsHash() == null ? candidate : prod;
      return refused("cannot tell whether both versions were backtested on the same folds: version "
          + without.version() + " has no " + RegistryNames.TAG_FOLDS_HASH + " tag", margin);
    }
    if (!candidate.foldsHash().equals(prod.foldsHash())) {
      return refused("candidate version " + candidate.version() + " and production version " + prod.version()
          + " were backtested on different folds (" + RegistryNames.TAG_FOLDS_HASH + " "
          + candidate.foldsHash() + " vs " + prod.foldsHash()
          + "): their metrics are not comparable; backtest both on the same folds, or use --force", margin);
    }
    if (prod.mae().isEmpty()) {
      return refused("production version " + prod.version() + " has no " + RegistryNames.GATE_METRIC
          + "_h* metrics to compare with", margin);
    }
    List<Integer> missing = prod.mae().keySet().stream()
        .filter(h -> !candidate.mae().containsKey(h)).sorted().toList();
    if (!missing.isEmpty()) {
      return refused("candidate version " + candidate.version() + " has no "
          + missing.stream().map(RegistryNames::gateMetric).collect(Collectors.joining(", "))
          + " (production version " + prod.version() + " has)", margin);
    }
    List<Row> table = new ArrayList<>();
    for (int horizon : prod.mae().keySet().stream().sorted().toList()) {
      double p = prod.mae().get(horizon);
      double c = candidate.mae().get(horizon);
      double improvement = p > 0 ? (p - c) / p : (c < p ? Double.POSITIVE_INFINITY : 0.0);
      // NaN compares false everywhere, so a NaN metric never passes.
      boolean passes = c < p && improvement >= margin;
      table.add(new Row(horizon, p, c, improvement, passes));
    }
    List<String> failing = table.stream().filter(r -> !r.passes()).map(Row::metric).toList();
    if (failing.isEmpty()) {
      return new Decision(Verdict.PASSED, "better than production version " + prod.version()
          + " at every horizon by at least " + percent(margin), table, margin);
    }
    return new Decision(Verdict.REJECTED, "not better than production version " + prod.version() + " by "
        + (margin > 0 ? "at least " + percent(margin) : "any margin") + " at " + String.join(", ", failing),
        table, margin);
  }

  /** The table as fixed-width text, one line per horizon. */
  public static String render(Decision decision) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-8s %12s %12s %12s %10s %6s%n", "metric", "production", "candidate", "improvement", "required", "passes"));
    for (Row row : decision.table()) {
      out.append(String.format(Locale.ROOT, "%-8s %12.4f %12.4f %12s %10s %6s%n",
          row.metric(), row.production(), row.candidate(), percent(row.improvement()),
          (decision.margin() > 0 ? ">=" : ">") + percent(decision.margin()), row.passes() ? "yes" : "no"));
    }
    return out.toString();
  }

  static void checkMargin(double margin) {
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException(
          "promotion margin must be a relative MAE improvement in [0, 1), e.g. 0.02 for 2%, got " + margin);
    }
  }

  private static Decision refused(String reason, double margin) {
    return new Decision(Verdict.REFUSED, reason, List.of(), margin);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
  }
}
