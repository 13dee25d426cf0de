package io.nowcast.features.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the small block-style YAML subset the feature spec is written in: nested mappings by
 * indentation, {@code key: value} with integers, decimals, {@code true}/{@code false}, {@code null},
 * plain or quoted strings, one-line flow lists {@code [a, b]}, and {@code #} comments. lib-features has
 * no YAML library on its classpath (Spark brings Jackson's JSON but not its YAML module); a module that
 * has one may parse the file itself and hand the tree to {@link FeatureSpecFile#fromTree}.
 *
 * <p>Anything outside the subset — block lists ({@code - a}), flow mappings, anchors, multi-line
 * values, tabs, YAML 1.1 booleans such as {@code yes} — fails with the line number rather than being
 * read differently from a real YAML parser, so a file this reads means the same to any YAML 1.2 parser.
 */
final class SpecYaml {
  private static final Pattern ENTRY = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*):(?:[ ]+(.*))?");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Set<String> AMBIGUOUS =
      Set.of("yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF");

  /** A mapping being filled, the indentation of the key that owns it, and that of its own keys. */
  private static final class Level {
    final Map<String, Object> map;
    final int ownerIndent;
    int keyIndent = -1;

    Level(Map<String, Object> map, int ownerIndent) {
      this.map = map;
      this.ownerIndent = ownerIndent;
    }
  }

  private SpecYaml() {}

  /** The mapping at the top of {@code text}; {@code source} names the file in error messages. */
  static Map<String, Object> parse(String text, String source) {
    Map<String, Object> root = new LinkedHashMap<>();
    Deque<Level> levels = new ArrayDeque<>();
    levels.push(new Level(root, -1));
    String[] lines = text.split("\r?\n", -1);
    for (int number = 1; number <= lines.length; number++) {
      String line = withoutComment(lines[number - 1], source, number);
      if (line.isBlank()) {
        continue;
      }
      int indent = 0;
      while (line.charAt(indent) == ' ') {
        indent++;
      }
      if (line.charAt(indent) == '\t') {
        throw error(source, number, "tabs are not allowed for indentation");
      }
      String content = line.strip();
      if (content.startsWith("-")) {
        throw error(source, number, "block lists ('- item') are not supported; write [a, b]");
      }
      Matcher entry = ENTRY.matcher(content);
      if (!entry.matches()) {
        throw error(source, number, "expected 'key: value', got '" + content + "'");
      }
      while (levels.size() > 1 && !fits(levels.peek(), indent)) {
        levels.pop();
      }
      Level level = levels.peek();
      if (level.keyIndent < 0) {
        if (indent <= level.ownerIndent) {
          throw error(source, number, "expected the keys of the mapping above, indented deeper");
        }
        level.keyIndent = indent;
      } else if (indent != level.keyIndent) {
        throw error(source, number, "inconsistent indentation");
      }
      String key = entry.group(1);
      if (level.map.containsKey(key)) {
        throw error(source, number, "duplicate key '" + key + "'");
      }
      String value = entry.group(2) == null ? "" : entry.group(2).strip();
      if (value.isEmpty()) {
        // A nested mapping follows (or nothing: then the value is null, as in YAML).
        Map<String, Object> child = new LinkedHashMap<>();
        level.map.put(key, child);
        levels.push(new Level(child, indent));
      } else {
        level.map.put(key, value(value, source, number));
      }
    }
    nullEmptyMappings(root);
    return root;
  }

  private static boolean fits(Level level, int indent) {
    return level.keyIndent < 0 ? indent > level.ownerIndent : indent >= level.keyIndent;
  }

  @SuppressWarnings("unchecked")
  private static void nullEmptyMappings(Map<String, Object> map) {
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      if (entry.getValue() instanceof Map<?, ?> child) {
        if (child.isEmpty()) {
          entry.setValue(null);
        } else {
          nullEmptyMappings((Map<String, Object>) child);
        }
      }
    }
  }

  private static Object value(String text, String source, int number) {
    if (text.startsWith("[")) {
      if (!text.endsWith("]")) {
        throw error(source, number, "a flow list must close on the same line: " + text);
      }
      String inner = text.substring(1, text.length() - 1).strip();
      List<Object> items = new ArrayList<>();
      if (!inner.isEmpty()) {
        for (String item : inner.split(",", -1)) {
          String trimmed = item.strip();
          if (trimmed.isEmpty() || trimmed.startsWith("[") || trimmed.startsWith("{")) {
            throw error(source, number, "list items must be plain values: " + text);
          }
          items.add(scalar(trimmed, source, number));
        }
      }
      return items;
    }
    return scalar(text, source, number);
  }

  private static Object scalar(String text, String source, int number) {
    char first = text.charAt(0);
    if (first == '"' || first == '\'') {
      if (text.length() < 2 || text.charAt(text.length() - 1) != first
          || text.substring(1, text.length() - 1).indexOf(first) >= 0 || text.indexOf('\\') >= 0) {
        throw error(source, number, "unsupported quoted string: " + text);
      }
      return text.substring(1, text.length() - 1);
    }
    if ("{&*!|>%@`]".indexOf(first) >= 0) {
      throw error(source, number, "unsupported YAML syntax: " + text);
    }
    if (AMBIGUOUS.contains(text)) {
      throw error(source, number, "'" + text + "' is a boolean to some YAML parsers: write true/false or quote it");
    }
    switch (text) {
      case "true", "True", "TRUE":
        return Boolean.TRUE;
      case "false", "False", "FALSE":
        return Boolean.FALSE;
      case "null", "Null", "NULL", "~":
        return null;
      default:
        break;
    }
    if (INTEGER.matcher(text).matches()) {
      try {
        return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
      } catch (NumberFormatException e) {
        throw error(source, number, "integer out of range: " + text);
      }
    }
    if (DECIMAL.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    if (text.contains(": ") || text.endsWith(":")) {
      throw error(source, number, "unsupported value (a mapping on one line?): " + text);
    }
    return text;
  }

  /** The line without a {@code #} comment (a {@code #} at the start or after a space, unquoted). */
  private static String withoutComment(String line, String source, int number) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if ((c == '"' || c == '\'') && startsValue(line, i)) {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    if (quote != 0) {
      throw error(source, number, "unclosed quote");
    }
    return line;
  }

  /** Whether position {@code i} starts a value: after {@code ':'}, {@code '['} or {@code ','}. */
  private static boolean startsValue(String line, int i) {
    int j = i - 1;
    while (j >= 0 && line.charAt(j) == ' ') {
      j--;
    }
    return j >= 0 && ":[,".indexOf(line.charAt(j)) >= 0;
  }

  private static IllegalArgumentException error(String source, int line, String message) {
    return new IllegalArgumentException(source + " line " + line + ": " + message);
  }
}
