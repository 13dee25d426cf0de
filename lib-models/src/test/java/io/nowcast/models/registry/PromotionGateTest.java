package io.nowcast.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.registry.PromotionGate.Decision;
import io.nowcast.models.registry.PromotionGate.Evidence;
import io.nowcast.models.registry.PromotionGate.Verdict;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The promotion rule on its own (no server). */
class PromotionGateTest {
  private static final Evidence PROD = new Evidence(1, "r1", Map.of(15, 40.0, 30, 50.0, 60, 80.0), "folds-a");

  @Test
  void noProductionPasses() {
    Decision d = PromotionGate.decide(PROD, Optional.empty(), 0.0);
    assertEquals(Verdict.NO_PRODUCTION, d.verdict());
    assertTrue(d.verdict().promotes());
  }

  @Test
  void betterEverywherePassesAndTheTableHoldsTheImprovements() {
    Evidence cand = new Evidence(2, "r2", Map.of(15, 39.0, 30, 45.0, 60, 79.0), "folds-a");
    Decision d = PromotionGate.decide(cand, Optional.of(PROD), 0.0);
    assertEquals(Verdict.PASSED, d.verdict());
    assertEquals(3, d.table().size());
    assertEquals(15, d.table().get(0).horizon());
    assertEquals((40.0 - 39.0) / 40.0, d.table().get(0).improvement(), 1e-12);
    assertEquals((50.0 - 45.0) / 50.0, d.table().get(1).improvement(), 1e-12);
    assertTrue(PromotionGate.render(d).contains("mae_h30"));
  }

  @Test
  void worseAtOneHorizonIsRejectedNamingIt() {
    Evidence cand = new Evidence(2, "r2", Map.of(15, 39.0, 30, 51.0, 60, 70.0), "folds-a");
    Decision d = PromotionGate.decide(cand, Optional.of(PROD), 0.0);
    assertEquals(Verdict.REJECTED, d.verdict());
    assertFalse(d.verdict().promotes());
    assertTrue(d.reason().endsWith("at mae_h30"), d.reason());
  }

  @Test
  void equalIsNotBetterAndTheMarginIsRelative() {
    Evidence equal = new Evidence(2, "r2", PROD.mae(), "folds-a");
    assertEquals(Verdict.REJECTED, PromotionGate.decide(equal, Optional.of(PROD), 0.0).verdict());
    // 2.5 % better everywhere: passes a 2 % margin, fails a 3 % margin.
    Evidence better = new Evidence(2, "r2", Map.of(15, 39.0, 30, 48.75, 60, 78.0), "folds-a");
    assertEquals(Verdict.PASSED, PromotionGate.decide(better, Optional.of(PROD), 0.02).verdict());
    Decision strict = PromotionGate.decide(better, Optional.of(PROD), 0.03);
    assertEquals(Verdict.REJECTED, strict.verdict());
    assertTrue(strict.reason().contains("at least 3.00%"), strict.reason());
  }

  @Test
  void nanNeverPasses() {
    Evidence cand = new Evidence(2, "r2", Map.of(15, Double.NaN, 30, 1.0, 60, 1.0), "folds-a");
    assertEquals(Verdict.REJECTED, PromotionGate.decide(cand, Optional.of(PROD), 0.0).verdict());
  }

  @Test
  void otherFoldsOrMissingEvidenceIsRefused() {
    Evidence otherFolds = new Evidence(2, "r2", Map.of(15, 1.0, 30, 1.0, 60, 1.0), "folds-b");
    Decision d = PromotionGate.decide(otherFolds, Optional.of(PROD), 0.0);
    assertEquals(Verdict.REFUSED, d.verdict());
    assertTrue(d.reason().contains("different folds (backtest_folds_hash folds-b vs folds-a)"), d.reason());

    Evidence noFolds = new Evidence(2, "r2", Map.of(15, 1.0, 30, 1.0, 60, 1.0), null);
    assertTrue(PromotionGate.decide(noFolds, Optional.of(PROD), 0.0).reason()
        .contains("version 2 has no backtest_folds_hash tag"));

    Evidence fewer = new Evidence(2, "r2", Map.of(15, 1.0, 30, 1.0), "folds-a");
    Decision missing = PromotionGate.decide(fewer, Optional.of(PROD), 0.0);
    assertEquals(Verdict.REFUSED, missing.verdict());
    assertTrue(missing.reason().contains("has no mae_h60"), missing.reason());
  }

  @Test
  void marginOutsideZeroToOneIsAUserError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PromotionGate.decide(PROD, Optional.empty(), 5));
    assertTrue(e.getMessage().contains("got 5.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PromotionGate.decide(PROD, Optional.empty(), -0.1));
  }
}
