package io.nowcast.features.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped spec file, the loader's validation messages and the YAML subset. No Spark. */
class FeatureSpecFileTest {
  private static final Path SHIPPED = Path.of("..").resolve(FeatureSpecFile.PATH_DEFAULT);

  private static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> FeatureSpecFile.parse(yaml, "test.yaml"))
        .getMessage();
  }

  @Test
  void theShippedFileStatesTheDefaults() {
    assertTrue(Files.exists(SHIPPED), SHIPPED.toAbsolutePath() + " is shipped");
    FeatureSpec shipped = FeatureSpecFile.read(SHIPPED);
    assertEquals(FeatureSpec.defaults(), shipped);
    // And the defaults are what the issue asks for, written out independently of FeatureSpec.
    assertEquals(5, shipped.stepMinutes());
    assertEquals(List.of(15, 30, 45, 60), shipped.horizons());
    assertEquals(List.of(15, 60, 1440, 10080), shipped.windowMinutes());
    assertEquals(
        List.of(5, 10, 15, 30, 60, 1380, 1395, 1410, 1425, 1440, 10020, 10035, 10050, 10065, 10080),
        shipped.lagMinutes());
    assertEquals(List.of(5, 1440, 10080), shipped.deltaMinutes());
    assertEquals(List.of(60, 120, 180), shipped.weatherDeltaMinutes());
    assertEquals(EnumSet.complementOf(EnumSet.of(FeatureGroup.WEATHER_AT_TARGET_ACTUAL)), shipped.groups());
    assertFalse(shipped.has(FeatureGroup.WEATHER_AT_TARGET_ACTUAL), "actuals at target time are opt-in");
  }

  @Test
  void absentKeysDefaultAndSectionsSwitchGroups() {
    assertEquals(FeatureSpec.defaults(), FeatureSpecFile.parse("# nothing set\n", "empty.yaml"));
    FeatureSpec spec =
        FeatureSpecFile.parse(
            "step_minutes: 15\n"
                + "horizons_minutes: [15, 60]\n"
                + "windows_minutes: [60]\n"
                + "load_lags:\n  minutes: [15, 1440]\n"
                + "load_deltas:\n  minutes: [15]\n"
                + "rolling_extrema:\n  enabled: false\n"
                + "weather:\n  enabled: true\n  deltas_minutes: [60]\n"
                + "weather_at_target_actual:\n  enabled: true   # a stand-in run\n",
            "custom.yaml");
    assertEquals(
        new FeatureSpec(15, List.of(15, 1440), List.of(60), List.of(15, 60), List.of(15), List.of(60),
            EnumSet.of(FeatureGroup.LOAD_LAGS, FeatureGroup.LOAD_DELTAS, FeatureGroup.ROLLING_STATS,
                FeatureGroup.CALENDAR, FeatureGroup.CALENDAR_AT_TARGET, FeatureGroup.WEATHER,
                FeatureGroup.WEATHER_AT_TARGET_ACTUAL)),
        spec);
  }

  @Test
  void treesFromAYamlLibraryAreReadTheSameWay() {
    // What Jackson's convertValue(node, Map.class) yields: Integer, ArrayList, LinkedHashMap, Boolean.
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("step_minutes", 5);
    tree.put("calendar_at_target", Map.of("enabled", false));
    FeatureSpec spec = FeatureSpecFile.fromTree(tree, "tree");
    assertFalse(spec.has(FeatureGroup.CALENDAR_AT_TARGET));
    assertTrue(spec.has(FeatureGroup.CALENDAR));
  }

  @Test
  void invalidSpecsFailNamingTheKey() {
    assertTrue(error("windows_minutes: [60, 7]\n").contains("windows_minutes"), "multiple of the step");
    assertTrue(error("windows_minutes: [60, 7]\n").contains("7"));
    assertTrue(error("load_lags:\n  minute: [5]\n").contains("'load_lags.minute'"), "unknown nested key");
    assertTrue(error("horizon_minutes: [15]\n").contains("'horizon_minutes'"), "unknown top-level key");
    assertTrue(error("load_deltas:\n  minutes: 5\n").contains("load_deltas.minutes"), "not a list");
    assertTrue(error("load_lags:\n  minutes: [5, 7.5]\n").contains("load_lags.minutes"), "not whole");
    assertTrue(error("calendar:\n  enabled: maybe\n").contains("calendar.enabled"), "not a boolean");
    assertTrue(error("calendar: true\n").contains("calendar must be a mapping"));
    assertTrue(error("step_minutes: 0\n").contains("step_minutes"));
    assertTrue(error("horizons_minutes: []\n").contains("horizons_minutes"));
    String dependency = error("calendar:\n  enabled: false\n");
    assertTrue(dependency.contains("calendar_at_target.enabled needs calendar.enabled"), dependency);
    assertTrue(error("weather_at_target_actual:\n  enabled: true\nweather:\n  enabled: false\n")
        .contains("weather_at_target_actual.enabled needs weather.enabled"));
  }

  @Test
  void theYamlSubsetRejectsWhatItCannotReadFaithfully() {
    assertTrue(error("load_lags:\n  minutes:\n    - 5\n").contains("line 3"), "block lists");
    assertTrue(error("calendar:\n  enabled: yes\n").contains("true/false"), "YAML 1.1 booleans");
    assertTrue(error("calendar:\n\tenabled: true\n").contains("line 2"), "tabs");
    assertTrue(error("calendar:\n  enabled: true\n   other: 1\n").contains("line 3"), "indentation");
    assertTrue(error("step_minutes: 5\nstep_minutes: 10\n").contains("duplicate key 'step_minutes'"));
    Map<String, Object> tree =
        SpecYaml.parse(
            "a: 1   # comment\nb:\n  c: [1, 2.5, 'x # y', true]\n  d: plain text\ne:\nf: null\n", "t");
    assertEquals(1L, tree.get("a"));
    assertEquals(Map.of("c", List.of(1L, 2.5, "x # y", true), "d", "plain text"), tree.get("b"));
    assertNull(tree.get("e"), "a key with nothing under it is null, as in YAML");
    assertTrue(tree.containsKey("f"));
  }
}
