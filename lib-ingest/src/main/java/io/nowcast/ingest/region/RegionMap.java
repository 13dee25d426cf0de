package io.nowcast.ingest.region;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured regions by name, in a stable order. */
public final class RegionMap {
  /** NYISO's eleven load zones as named in its public CSV files. */
  public static final List<String> NYISO_ZONES =
      List.of(
          "CAPITL", "CENTRL", "DUNWOD", "GENESE", "HUD VL", "LONGIL", "MHK VL", "MILLWD", "N.Y.C.",
          "NORTH", "WEST");

  private final Map<String, Region> byName;
  private final Map<String, WeatherStation> stations;

  public RegionMap(Collection<Region> regions) {
    this(regions, List.of());
  }

  /**
   * Regions plus the catalogue of the stations they refer to (from a region config; see {@code
   * RegionConfigLoader}).
   */
  public RegionMap(Collection<Region> regions, Collection<WeatherStation> stations) {
    Map<String, Region> map = new LinkedHashMap<>();
    for (Region region : regions) {
      if (map.put(region.name(), region) != null) {
        throw new IllegalArgumentException("region " + region.name() + " is configured twice");
      }
    }
    this.byName = map;
    Map<String, WeatherStation> catalogue = new LinkedHashMap<>();
    for (WeatherStation station : stations) {
      if (catalogue.put(station.key(), station) != null) {
        throw new IllegalArgumentException("station " + station.key() + " is configured twice");
      }
    }
    this.stations = catalogue;
  }

  /** The regions of the synthetic generator: {@code SYN-1 … SYN-n} in New York time. */
  public static RegionMap synthetic(int count) {
    List<Region> regions = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = "SYN-" + i;
      regions.add(new Region(name, ZoneId.of("America/New_York"), "US-NY", Map.of("SYNWX-" + i, 1.0)));
    }
    return new RegionMap(regions);
  }

  /** NYISO's zones (New York time, NY holidays), all described by the LaGuardia station KLGA. */
  public static RegionMap nyiso() {
    List<Region> regions = new ArrayList<>();
    for (String zone : NYISO_ZONES) {
      regions.add(new Region(zone, ZoneId.of("America/New_York"), "US-NY", Map.of("KLGA", 1.0)));
    }
    return new RegionMap(regions);
  }

  public Collection<Region> all() {
    return byName.values();
  }

  /** Each region's time zone by region name (what the data-quality stage needs). */
  public Map<String, ZoneId> zones() {
    Map<String, ZoneId> zones = new LinkedHashMap<>();
    byName.forEach((name, region) -> zones.put(name, region.zone()));
    return zones;
  }

  public Optional<Region> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The station catalogue, in config order (empty for the built-in maps). */
  public Collection<WeatherStation> stations() {
    return stations.values();
  }

  /** NOAA ISD ids ({@code USAF-WBAN}) of the catalogue's stations that have one, for the NOAA ingest. */
  public List<String> isdStations() {
    return stations.values().stream().flatMap(s -> s.isd().stream()).distinct().toList();
  }

  /** Meteostat ids of the catalogue's stations that have one, for the Meteostat ingest. */
  public List<String> meteostatStations() {
    return stations.values().stream().flatMap(s -> s.meteostat().stream()).distinct().toList();
  }
}
