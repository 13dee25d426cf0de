package io.nowcast.ingest.region;

import java.util.Objects;
import java.util.Optional;

/**
 * A weather station a region config refers to, with its id in each weather source (each source writes its
 * own id to the raw weather table's {@code station} column).
 *
 * @param key the id region weights use (ICAO, e.g. {@code KALB})
 * @param name a human-readable name
 * @param isd NOAA ISD id {@code USAF-WBAN}, if the station is in ISD-Lite
 * @param meteostat Meteostat id, if any
 */
public record WeatherStation(String key, String name, Optional<String> isd, Optional<String> meteostat) {
  public WeatherStation {
    Objects.requireNonNull(key, "station key");
    name = name == null ? key : name;
    isd = isd == null ? Optional.empty() : isd;
    meteostat = meteostat == null ? Optional.empty() : meteostat;
  }
}
