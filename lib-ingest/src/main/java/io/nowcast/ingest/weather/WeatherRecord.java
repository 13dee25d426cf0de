package io.nowcast.ingest.weather;

import java.io.Serializable;

/**
 * One parsed observation in contract units (°C, %, m/s, hPa, mm); a {@code null} value was missing in the
 * source.
 *
 * @param station the station id as written to the raw table
 * @param epochSecond observation time, UTC epoch seconds
 * @param line 1-based line of the source file (for deterministic duplicate collapse and for reports)
 */
public record WeatherRecord(
    String station,
    long epochSecond,
    long line,
    Double tempC,
    Double dewpointC,
    Double rhPct,
    Double windMps,
    Double pressureHpa,
    Double precipMm)
    implements Serializable {}
