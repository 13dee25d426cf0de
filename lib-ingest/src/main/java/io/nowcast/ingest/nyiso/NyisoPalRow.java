package io.nowcast.ingest.nyiso;

import java.time.Instant;

/**
 * One accepted row of a NYISO {@code pal} CSV, time already converted to UTC.
 *
 * @param file the daily file it came from (e.g. {@code 20191103pal.csv})
 * @param line 1-based line number in that file (line 1 is the header)
 * @param region the zone name exactly as published (e.g. {@code N.Y.C.}, {@code HUD VL})
 * @param tsUtc the published stamp (local New York time + its {@code Time Zone}) as an instant; not snapped
 * @param loadMw load in MW, or {@code null} where NYISO published an empty value (a gap, not an error)
 */
public record NyisoPalRow(String file, long line, String region, Instant tsUtc, Double loadMw) {}
