package io.nowcast.ingest.nyiso;

import java.time.Instant;

/**
 * One forecast value of a NYISO {@code isolf} file.
 *
 * @param line 1-based line number in the file
 * @param region our region name ({@link IsolfZones})
 * @param targetUtc start of the forecast hour, UTC
 * @param forecastMw forecast load, MW
 */
public record IsolfRow(long line, String region, Instant targetUtc, double forecastMw) {}
