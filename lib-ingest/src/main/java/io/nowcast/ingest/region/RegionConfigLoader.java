package io.nowcast.ingest.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nowcast.ingest.calendar.HolidayCalendars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a region config ({@code conf/regions/*.yaml}) into a {@link RegionMap}, failing fast with a message
 * naming the file and the key: unknown ISO or region name, unknown time zone or holiday calendar, a region
 * weighting a station the file does not list, weights that are not positive numbers, unexpected keys.
 *
 * <p>Layout: {@code iso} ({@code NYISO} or {@code CAISO}), {@code time_zone}, {@code holiday_calendar},
 * {@code stations} (key → {@code name}, {@code isd}, {@code meteostat}) and {@code regions} (name → station
 * key → weight). Every region shares the file's time zone and calendar: a config is one ISO.
 */
public final class RegionConfigLoader {
  /** Region names each ISO publishes load for (its zones or TAC areas, plus its total). */
  static final Map<String, Set<String>> KNOWN_REGIONS = Map.of(
      "NYISO", Set.of("CAPITL", "CENTRL", "DUNWOD", "GENESE", "HUD VL", "LONGIL", "MHK VL", "MILLWD", "N.Y.C.",
          "NORTH", "WEST", "NYISO"),
      "CAISO", Set.of("CA ISO-TAC", "PGE-TAC", "SCE-TAC", "SDGE-TAC", "VEA-TAC"));
  private static final Set<String> TOP_KEYS =
      Set.of("iso", "time_zone", "holiday_calendar", "stations", "regions");
  private static final Set<String> STATION_KEYS = Set.of("name", "isd", "meteostat");

  private RegionConfigLoader() {}

  /**
   * @throws IllegalArgumentException naming the file and key when the config is invalid
   * @throws UncheckedIOException when the file cannot be read
   */
  public static RegionMap load(Path yaml) {
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read region config " + yaml + ": " + e.getMessage(), e);
    }
    return fromTree(tree, yaml.toString());
  }

  /** Validates an already parsed config; {@code origin} names it in messages. */
  public static RegionMap fromTree(JsonNode tree, String origin) {
    if (tree == null || !tree.isObject()) {
      throw invalid(origin, "(top level)", "expected a mapping with keys " + TOP_KEYS);
    }
    onlyKeys(tree, TOP_KEYS, origin, "");
    String iso = text(tree, "iso", origin);
    Set<String> known = KNOWN_REGIONS.get(iso);
    if (known == null) {
      throw invalid(origin, "iso", "unknown ISO '" + iso + "'; allowed: " + KNOWN_REGIONS.keySet());
    }
    ZoneId zone;
    String zoneName = text(tree, "time_zone", origin);
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw invalid(origin, "time_zone", "unknown time zone '" + zoneName + "' (use an IANA id such as "
          + "America/New_York)");
    }
    String calendar = text(tree, "holiday_calendar", origin);
    try {
      HolidayCalendars.holidays(calendar, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 1));
    } catch (IllegalArgumentException e) {
      throw invalid(origin, "holiday_calendar", e.getMessage());
    }
    Map<String, WeatherStation> stations = stations(tree.get("stations"), origin);
    List<Region> regions = new ArrayList<>();
    JsonNode regionNodes = tree.get("regions");
    if (regionNodes == null || !regionNodes.isObject() || regionNodes.isEmpty()) {
      throw invalid(origin, "regions", "expected a non-empty mapping of region name to station weights");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = regionNodes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> region = it.next();
      String key = "regions." + region.getKey();
      if (!known.contains(region.getKey())) {
        throw invalid(origin, key, "unknown " + iso + " region; allowed: " + new java.util.TreeSet<>(known));
      }
      regions.add(new Region(region.getKey(), zone, calendar, weights(region.getValue(), stations, origin, key)));
    }
    return new RegionMap(regions, stations.values());
  }

  private static Map<String, WeatherStation> stations(JsonNode node, String origin) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw invalid(origin, "stations", "expected a non-empty mapping of station key to {name, isd, meteostat}");
    }
    Map<String, WeatherStation> stations = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = "stations." + e.getKey();
      JsonNode s = e.getValue();
      if (!s.isObject()) {
        throw invalid(origin, key, "expected a mapping with keys " + STATION_KEYS);
      }
      onlyKeys(s, STATION_KEYS, origin, key + ".");
      Optional<String> isd = optionalText(s, "isd");
      if (isd.isPresent() && !isd.get().matches("\\d{6}-\\d{5}")) {
        throw invalid(origin, key + ".isd", "expected USAF-WBAN (6 and 5 digits), got '" + isd.get() + "'");
      }
      stations.put(e.getKey(),
          new WeatherStation(e.getKey(), optionalText(s, "name").orElse(null), isd, optionalText(s, "meteostat")));
    }
    return stations;
  }

  private static Map<String, Double> weights(
      JsonNode node, Map<String, WeatherStation> stations, String origin, String key) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw invalid(origin, key, "expected a non-empty mapping of station key to weight");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> w = it.next();
      String weightKey = key + "." + w.getKey();
      if (!stations.containsKey(w.getKey())) {
        throw invalid(origin, weightKey, "station not listed under stations " + stations.keySet());
      }
      if (!w.getValue().isNumber() || !(w.getValue().asDouble() > 0) || !Double.isFinite(w.getValue().asDouble())) {
        throw invalid(origin, weightKey, "weight must be a positive number, got '" + w.getValue().asText() + "'");
      }
      weights.put(w.getKey(), w.getValue().asDouble());
    }
    return weights;
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, String origin, String prefix) {
    node.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) {
        throw invalid(origin, prefix + name, "unexpected key; allowed: " + new java.util.TreeSet<>(allowed));
      }
    });
  }

  private static String text(JsonNode node, String field, String origin) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.asText().isBlank()) {
      throw invalid(origin, field, "missing or empty");
    }
    return value.asText().trim();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText().trim());
  }

  private static IllegalArgumentException invalid(String origin, String key, String problem) {
    return new IllegalArgumentException("region config " + origin + ": key '" + key + "': " + problem);
  }
}
