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

  public RegionMap(Collection<Region> regions) {
    Map<String, Region> map = new LinkedHashMap<>();
    for (Region region : regions) {
      if (map.put(region.name(), region) != null) {
        throw new IllegalArgumentException("region " + region.name() + " is configured twice");
      }
    }
    this.byName = map;
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

  public Optional<Region> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
