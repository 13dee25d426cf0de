package io.nowcast.features.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the declarative feature spec ({@code conf/features.yaml}): grid step, horizons and rolling
 * windows at the top, then one section per stage group ({@link FeatureGroup#key()}) with its {@code
 * enabled} flag and its settings. Every key is optional (absent = {@link FeatureSpec#defaults()}); an
 * unknown key, a value of the wrong type or a value that is not a multiple of the step fails with a
 * message naming the file and the key.
 *
 * <pre>
 * step_minutes: 5
 * horizons_minutes: [15, 30, 45, 60]
 * windows_minutes: [15, 60, 1440, 10080]   # rolling_stats and rolling_extrema
 * load_lags:                {enabled: true, minutes: [...]}
 * load_deltas:              {enabled: true, minutes: [5, 1440, 10080]}
 * rolling_stats:            {enabled: true}
 * rolling_extrema:          {enabled: true}
 * calendar:                 {enabled: true}
 * calendar_at_target:       {enabled: true}
 * weather:                  {enabled: true, deltas_minutes: [60, 120, 180]}
 * weather_at_target_actual: {enabled: false}
 * </pre>
 *
 * (shown in flow style for brevity; the shipped file uses block style, which is what {@link #parse}
 * reads without a YAML library).
 */
public final class FeatureSpecFile {
  /** Where the spec lives relative to the project home. */
  public static final String PATH_DEFAULT = "conf/features.yaml";

  private static final String STEP = "step_minutes";
  private static final String HORIZONS = "horizons_minutes";
  private static final String WINDOWS = "windows_minutes";
  private static final String ENABLED = "enabled";
  private static final String LAGS = FeatureGroup.LOAD_LAGS.key() + ".minutes";
  private static final String DELTAS = FeatureGroup.LOAD_DELTAS.key() + ".minutes";
  private static final String WEATHER_DELTAS = FeatureGroup.WEATHER.key() + ".deltas_minutes";

  private FeatureSpecFile() {}

  /** The spec in {@code file}. */
  public static FeatureSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read feature spec " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** The spec in YAML {@code text} (the subset {@code SpecYaml} reads); {@code source} names it. */
  public static FeatureSpec parse(String text, String source) {
    return fromTree(SpecYaml.parse(text, source), source);
  }

  /**
   * The spec in an already parsed tree: maps, lists, numbers, booleans and strings, as a YAML or JSON
   * library produces them (e.g. Jackson's {@code convertValue(node, Map.class)}).
   */
  public static FeatureSpec fromTree(Map<String, ?> tree, String source) {
    Map<String, Object> values = flatten(tree == null ? Map.of() : tree, source);
    FeatureSpec defaults = FeatureSpec.defaults();
    int step = integer(values, STEP, defaults.stepMinutes(), source);
    if (step <= 0) {
      throw new IllegalArgumentException(source + ": " + STEP + " must be > 0, got " + step);
    }
    List<Integer> horizons = minutes(values, HORIZONS, defaults.horizons(), step, source);
    if (horizons.isEmpty()) {
      throw new IllegalArgumentException(source + ": " + HORIZONS + " must name at least one horizon");
    }
    List<Integer> windows = minutes(values, WINDOWS, defaults.windowMinutes(), step, source);
    List<Integer> lags = minutes(values, LAGS, defaults.lagMinutes(), step, source);
    List<Integer> deltas = minutes(values, DELTAS, defaults.deltaMinutes(), step, source);
    List<Integer> weatherDeltas =
        minutes(values, WEATHER_DELTAS, defaults.weatherDeltaMinutes(), step, source);
    Set<FeatureGroup> groups = EnumSet.noneOf(FeatureGroup.class);
    for (FeatureGroup group : FeatureGroup.values()) {
      String key = group.key() + "." + ENABLED;
      Object value = values.getOrDefault(key, FeatureSpec.GROUPS_DEFAULT.contains(group));
      if (!(value instanceof Boolean enabled)) {
        throw new IllegalArgumentException(
            source + ": " + key + " must be true or false, got '" + value + "'");
      }
      if (enabled) {
        groups.add(group);
      }
    }
    requires(groups, FeatureGroup.CALENDAR_AT_TARGET, FeatureGroup.CALENDAR, source);
    requires(groups, FeatureGroup.WEATHER_AT_TARGET_ACTUAL, FeatureGroup.WEATHER, source);
    return new FeatureSpec(step, lags, windows, horizons, deltas, weatherDeltas, groups);
  }

  /** The keys the file may hold, dotted ({@code section.key} inside a group's section). */
  private static Set<String> knownKeys() {
    Set<String> keys = new LinkedHashSet<>(List.of(STEP, HORIZONS, WINDOWS));
    for (FeatureGroup group : FeatureGroup.values()) {
      keys.add(group.key() + "." + ENABLED);
    }
    keys.addAll(List.of(LAGS, DELTAS, WEATHER_DELTAS));
    return keys;
  }

  /** Dotted keys → values; fails on unknown keys and on sections that are not mappings. */
  private static Map<String, Object> flatten(Map<String, ?> tree, String source) {
    Set<String> known = knownKeys();
    Set<String> sections = new TreeSet<>();
    known.stream().filter(k -> k.contains(".")).forEach(k -> sections.add(k.substring(0, k.indexOf('.'))));
    Map<String, Object> flat = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : tree.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (sections.contains(key)) {
        if (value == null) {
          continue; // an empty section: all its settings default
        }
        if (!(value instanceof Map<?, ?> section)) {
          throw new IllegalArgumentException(
              source + ": " + key + " must be a mapping (e.g. enabled: true), got '" + value + "'");
        }
        for (Map.Entry<?, ?> inner : section.entrySet()) {
          String dotted = key + "." + inner.getKey();
          checkKnown(known, dotted, source);
          flat.put(dotted, inner.getValue());
        }
      } else {
        checkKnown(known, key, source);
        flat.put(key, value);
      }
    }
    return flat;
  }

  private static void checkKnown(Set<String> known, String key, String source) {
    if (!known.contains(key)) {
      throw new IllegalArgumentException(
          source + ": unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
    }
  }

  private static int integer(Map<String, Object> values, String key, int fallback, String source) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    return whole(value, key, source);
  }

  private static List<Integer> minutes(
      Map<String, Object> values, String key, List<Integer> fallback, int step, String source) {
    Object value = values.get(key);
    if (value == null) {
      return FeatureSpec.checked(key, fallback, step);
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(
          source + ": " + key + " must be a list of minutes like [5, 10], got '" + value + "'");
    }
    List<Integer> result = new ArrayList<>();
    for (Object item : list) {
      result.add(whole(item, key, source));
    }
    try {
      return FeatureSpec.checked(key, result, step);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static int whole(Object value, String key, String source) {
    if (value instanceof Number number && !(value instanceof Double || value instanceof Float)
        && number.longValue() == number.intValue()) {
      return number.intValue();
    }
    throw new IllegalArgumentException(
        source + ": " + key + " must hold whole minutes (integers), got '" + value + "'");
  }

  private static void requires(
      Set<FeatureGroup> groups, FeatureGroup group, FeatureGroup needed, String source) {
    if (groups.contains(group) && !groups.contains(needed)) {
      throw new IllegalArgumentException(
          source + ": " + group.key() + "." + ENABLED + " needs " + needed.key() + "." + ENABLED + ": true");
    }
  }
}
