package io.nowcast.ingest.caiso;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one OASIS answer held: accepted rows and, per reason, the count of records that could not be used.
 *
 * @param file the file inside the zip
 * @param rows accepted rows in file order
 * @param quarantinedByReason rejected records per reason
 */
public record OasisParseResult(String file, List<OasisRow> rows, Map<String, Long> quarantinedByReason) {
  public OasisParseResult {
    rows = List.copyOf(rows);
    quarantinedByReason = Map.copyOf(new TreeMap<>(quarantinedByReason));
  }
}
