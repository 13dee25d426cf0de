package io.nowcast.ingest.calendar;

import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;

/**
 * A region's local wall-clock time as a Spark column: the epoch seconds of the wall-clock reading in
 * the region's zone (DST-aware), so hours and days follow the clock people live by. Integer
 * arithmetic on it (second of day, day number) reads no session time zone.
 *
 * <p>Why not {@code from_utc_timestamp(ts, zoneColumn)}: with a zone <em>column</em> Spark parses the
 * zone id for every row ({@code getZoneId}: two regex {@code replaceFirst} calls and a ZoneId lookup),
 * which measured as the main cost of the calendar features and ~20 % of the data-quality stage's
 * task CPU. Here every distinct zone is a literal in its own branch, so Spark resolves each zone once
 * per task.
 */
public final class LocalClock {
  private LocalClock() {}

  /**
   * Epoch seconds of {@code instant}'s wall-clock reading in the zone of the row's {@code region}
   * (from {@code zoneByRegion}, region name → zone id), or in {@code defaultZone} for regions not
   * listed.
   */
  public static Column localSeconds(Column instant, Column region, Map<String, String> zoneByRegion,
      String defaultZone) {
    // Sorted by zone, so the expression (and its generated code) does not depend on map order.
    Map<String, List<String>> regionsByZone = new TreeMap<>();
    zoneByRegion.forEach((name, zone) -> regionsByZone.computeIfAbsent(zone, z -> new ArrayList<>()).add(name));
    Column result = unix_seconds(from_utc_timestamp(instant, defaultZone));
    for (Map.Entry<String, List<String>> zone : regionsByZone.entrySet()) {
      if (!zone.getKey().equals(defaultZone)) {
        List<String> regions = zone.getValue().stream().sorted().toList();
        result = when(region.isin(regions.toArray()), unix_seconds(from_utc_timestamp(instant, zone.getKey())))
            .otherwise(result);
      }
    }
    return result;
  }
}
