package io.nowcast.ingest.weather;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import java.util.List;

/**
 * What a {@link WeatherFileParser} made of one source file: accepted observations and quarantined lines.
 * Every data line of the file is in exactly one of the two lists (lines a source skips by request, such as
 * years outside a requested range, are in neither and are counted in {@code skipped}).
 *
 * @param day first day ({@code yyyy-MM-dd}) of the period the file covers, which keys its quarantine
 *     partition; {@code null} when the file has no period (a station's whole history)
 */
public record WeatherParseResult(
    String file, String day, List<WeatherRecord> rows, List<QuarantinedLine> quarantined, long skipped) {
  public WeatherParseResult {
    rows = List.copyOf(rows);
    quarantined = List.copyOf(quarantined);
  }
}
