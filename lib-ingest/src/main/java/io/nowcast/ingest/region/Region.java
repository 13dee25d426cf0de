package io.nowcast.ingest.region;

import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * One forecast region: its name as it appears in the load data, its local time zone (for calendar
 * features), its holiday calendar (see {@code HolidayCalendars}) and the weather stations that describe
 * it with their weights (weights need not sum to one; they are normalised where combined).
 */
public record Region(String name, ZoneId zone, String holidayCalendar, Map<String, Double> stations) {
  public Region {
    Objects.requireNonNull(name, "region name");
    Objects.requireNonNull(zone, "time zone of region " + name);
    Objects.requireNonNull(holidayCalendar, "holiday calendar of region " + name);
    stations = Map.copyOf(stations == null ? Map.of() : stations);
    stations.forEach(
        (station, weight) -> {
          if (!(weight > 0)) {
            throw new IllegalArgumentException(
                "region " + name + ": weight of station " + station + " must be > 0, got " + weight);
          }
        });
  }
}
