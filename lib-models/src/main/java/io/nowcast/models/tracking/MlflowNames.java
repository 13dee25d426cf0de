package io.nowcast.models.tracking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * MLflow's limits on keys and values (mlflow/utils/validation.py, 2.17.2), applied on our side so a long
 * config value or an odd key never fails a run half-way: keys may hold only letters, digits and
 * {@code _ - . space : /}, must not look like a non-normalised path, and are at most 250 chars; param
 * values at most 6000 chars, tag values at most 8000.
 */
final class MlflowNames {
  static final int MAX_KEY_LENGTH = 250;
  static final int MAX_PARAM_VALUE_LENGTH = 6000;
  static final int MAX_TAG_VALUE_LENGTH = 8000;

  private MlflowNames() {}

  /**
   * A key MLflow accepts for params, metrics and tags: other characters become '_', empty, "." and
   * ".." path segments and leading/trailing slashes are dropped or replaced (the server refuses names
   * that normalise to another path).
   */
  static String key(String raw) {
    StringBuilder chars = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_' || c == '-' || c == '.' || c == ' ' || c == ':' || c == '/';
      chars.append(allowed ? c : '_');
    }
    StringJoiner segments = new StringJoiner("/");
    for (String segment : chars.toString().split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      segments.add(segment.equals(".") || segment.equals("..") ? "_" : segment);
    }
    String key = segments.length() == 0 ? "_" : segments.toString();
    return key.length() <= MAX_KEY_LENGTH ? key : truncate(key, MAX_KEY_LENGTH).replaceAll("/+$", "");
  }

  /** A param value within MLflow's limit; null becomes "" (MLflow has no null params). */
  static String paramValue(String raw) {
    return raw == null ? "" : truncate(raw, MAX_PARAM_VALUE_LENGTH);
  }

  /** A tag value within MLflow's limit; null becomes "". */
  static String tagValue(String raw) {
    return raw == null ? "" : truncate(raw, MAX_TAG_VALUE_LENGTH);
  }

  /**
   * Sanitises the keys of a map, keeping its order. Two keys that become the same with different values
   * would make MLflow reject the whole batch with a less helpful message, so that fails here, naming
   * both keys.
   */
  static <V> Map<String, V> sanitiseKeys(Map<String, V> entries) {
    Map<String, V> clean = new LinkedHashMap<>();
    Map<String, String> originalOf = new LinkedHashMap<>();
    for (Map.Entry<String, V> entry : entries.entrySet()) {
      String key = key(entry.getKey());
      String earlier = originalOf.putIfAbsent(key, entry.getKey());
      if (earlier != null && !java.util.Objects.equals(clean.get(key), entry.getValue())) {
        throw new IllegalArgumentException(
            "keys '" + earlier + "' and '" + entry.getKey() + "' both become MLflow key '" + key
                + "' but have different values");
      }
      clean.put(key, entry.getValue());
    }
    return clean;
  }

  /** Cuts to at most {@code max} UTF-16 units without splitting a surrogate pair. */
  private static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
