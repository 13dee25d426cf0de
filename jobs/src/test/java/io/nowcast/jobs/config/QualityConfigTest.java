package io.nowcast.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.spec.FeatureSpecFile;
import io.nowcast.ingest.quality.QualityCheck;
import io.nowcast.ingest.quality.QualityPolicy;
import io.nowcast.ingest.quality.QualitySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quality.* keys and the feature spec file in the resolved config (no Spark). */
class QualityConfigTest {
  private static final Path HOME = Path.of(System.getProperty("nowcast.home", ".."));

  @TempDir Path empty;

  private static NowcastConfig load(Path home, Map<String, Object> overrides) {
    return ConfigLoader.load("local", home, null, Map.of(), overrides);
  }

  @Test
  void shippedLocalConfigStatesTheDefaultsAndTheSpecFile() {
    NowcastConfig config = load(HOME, Map.of());
    assertEquals(QualitySettings.defaults(), config.quality());
    assertEquals(FeatureSpecFile.read(HOME.resolve("conf/features.yaml")), config.features());
    // Without any conf/ the built-in defaults apply.
    NowcastConfig bare = load(empty, Map.of());
    assertEquals(QualitySettings.defaults(), bare.quality());
    assertEquals(FeatureSpec.defaults(), bare.features());
  }

  @Test
  void overridesReachTheSettings() {
    NowcastConfig config = load(empty, Map.of("quality.outliers.policy", "drop_day",
        "quality.max_gap_minutes", "15", "quality.flatline.min_hours", "3.5", "quality.enabled", "false",
        "features.lags_minutes", "5,10"));
    assertEquals(QualityPolicy.DROP_DAY, config.quality().policy(QualityCheck.OUTLIERS));
    assertEquals(QualityPolicy.REPAIR, config.quality().policy(QualityCheck.COMPLETENESS));
    assertEquals(15, config.quality().maxGapMinutes());
    assertEquals(3.5, config.quality().flatlineMinHours());
    assertEquals(false, config.quality().enabled());
    assertEquals(List.of(5, 10), config.features().lagMinutes());
    assertEquals(FeatureSpec.defaults().windowMinutes(), config.features().windowMinutes());
    assertEquals("drop_day", ConfigParams.flatten(config).get("quality.outliers.policy"));
  }

  @Test
  void badValuesNameTheirKey() {
    assertMessage(Map.of("quality.flatline.policy", "ignore"),
        "quality.flatline.policy must be one of fail, repair, drop_day, warn, got 'ignore'");
    assertMessage(Map.of("quality.max_gap_minutes", "7"), "quality.max_gap_minutes must be a multiple of 5");
    assertMessage(Map.of("quality.completeness.min_ratio", "1.5"), "quality.completeness.min_ratio must be in [0, 1]");
    assertMessage(Map.of("quality.enabled", "maybe"), "quality.enabled must be true or false, got 'maybe'");
    assertMessage(Map.of("quality.outliers.tresh", "3"), "unknown config key 'quality.outliers.tresh'");
    assertMessage(Map.of("features.spec_file", "conf/nope.yaml"), "features.spec_file names a file that does not exist");
  }

  private void assertMessage(Map<String, Object> overrides, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(empty, overrides));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
