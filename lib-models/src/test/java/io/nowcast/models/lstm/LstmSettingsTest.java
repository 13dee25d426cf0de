package io.nowcast.models.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LstmSettingsTest {
  @Test
  void readsKeysAndFallsBackToDefaults() {
    LstmSettings settings = LstmSettings.fromConfig(Map.of(
        "lstm.epochs", 3, "lstm.learning_rate", "0.01", "lstm.lookback_steps", "12", "other.key", "x"));
    assertEquals(3, settings.epochs());
    assertEquals(0.01, settings.learningRate());
    assertEquals(12, settings.lookbackSteps());
    assertEquals(LstmSettings.HIDDEN_DEFAULT, settings.hidden());
    assertEquals(LstmSettings.TIME_BUDGET_S_DEFAULT, settings.timeBudgetSeconds());
    // toConfig round-trips through fromConfig.
    assertEquals(settings, LstmSettings.fromConfig(settings.toConfig()));
    assertEquals(LstmSettings.KEYS.size(), settings.toConfig().size());
  }

  @Test
  void readsTheRegistrySpellingToo() {
    LstmSettings settings = LstmSettings.fromConfig(Map.of(
        "models.lstm.epochs", "4", "models.lstm.hidden", "8", "lstm.hidden", "16"));
    assertEquals(4, settings.epochs());
    assertEquals(16, settings.hidden());
    assertKey("models.lstm.time_budget_s", Map.of("models.lstm.time_budget_s", "soon"));
    assertKey("lstm.time_budget_s", Map.of("models.lstm.time_budget_s", "-1"));
  }

  @Test
  void badValuesFailNamingTheKey() {
    assertKey("lstm.lookback_steps", Map.of("lstm.lookback_steps", 0));
    assertKey("lstm.time_budget_s", Map.of("lstm.time_budget_s", -5));
    assertKey("lstm.time_budget_s", Map.of("lstm.time_budget_s", 0));
    assertKey("lstm.max_windows", Map.of("lstm.max_windows", "many"));
    assertKey("lstm.epochs", Map.of("lstm.epochs", "2.5"));
    assertKey("lstm.learning_rate", Map.of("lstm.learning_rate", -0.1));
    assertKey("lstm.validation_fraction", Map.of("lstm.validation_fraction", 0.5));
    assertKey("lstm.batch_size", Map.of("lstm.batch_size", 0));
  }

  private static void assertKey(String key, Map<String, Object> values) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LstmSettings.fromConfig(new HashMap<>(values)));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
