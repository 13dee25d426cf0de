package io.nowcast.ingest.nyiso;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zone columns of NYISO's {@code isolf} files and the region names this system uses for them (those of
 * {@code conf/regions/nyiso.yaml} and of the {@code pal} files: {@code Capitl} is {@code CAPITL}, {@code Hud Vl}
 * is {@code HUD VL}, {@code NYISO} is the total). A spelled-out map rather than upper-casing, so that a column
 * NYISO adds or renames fails loudly instead of becoming a region nobody configured.
 */
public final class IsolfZones {
  /** Header name to region name, in NYISO's column order. */
  public static final Map<String, String> REGION_BY_COLUMN = regions();

  private IsolfZones() {}

  private static Map<String, String> regions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Capitl", "CAPITL");
    m.put("Centrl", "CENTRL");
    m.put("Dunwod", "DUNWOD");
    m.put("Genese", "GENESE");
    m.put("Hud Vl", "HUD VL");
    m.put("Longil", "LONGIL");
    m.put("Mhk Vl", "MHK VL");
    m.put("Millwd", "MILLWD");
    m.put("N.Y.C.", "N.Y.C.");
    m.put("North", "NORTH");
    m.put("West", "WEST");
    m.put("NYISO", "NYISO");
    return java.util.Collections.unmodifiableMap(m);
  }
}
