package io.nowcast.ingest.caiso;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Checks the fields of one OASIS record, the same for CSV and XML: either an {@link OasisRow} or the reason
 * it is quarantined. Reasons are short and categorical so reports can group by them.
 */
final class OasisFields {
  static final String EMPTY_TAC_AREA = "empty TAC area";
  static final String UNPARSEABLE_TIME = "unparseable interval time";
  static final String END_NOT_AFTER_START = "interval end not after start";
  static final String NON_NUMERIC_MW = "non-numeric MW";
  static final String NEGATIVE_MW = "negative MW";

  private OasisFields() {}

  /** The row, or {@code null} after counting the reason in {@code quarantine}. */
  static OasisRow check(String tac, String start, String end, String mw, long line, Map<String, Long> quarantine) {
    String reason = null;
    Instant from = time(start);
    Instant to = time(end);
    Double value = null;
    String area = tac == null ? "" : tac.strip();
    String load = mw == null ? "" : mw.strip();
    if (area.isEmpty()) {
      reason = EMPTY_TAC_AREA;
    } else if (from == null || to == null) {
      reason = UNPARSEABLE_TIME;
    } else if (!to.isAfter(from)) {
      reason = END_NOT_AFTER_START;
    } else if (!load.isEmpty()) {
      try {
        value = Double.parseDouble(load);
        if (value.isNaN() || value.isInfinite()) {
          reason = NON_NUMERIC_MW;
        } else if (value < 0) {
          reason = NEGATIVE_MW;
        }
      } catch (NumberFormatException e) {
        reason = NON_NUMERIC_MW;
      }
    }
    if (reason != null) {
      quarantine.merge(reason, 1L, Long::sum);
      return null;
    }
    return new OasisRow(area, from, to, value, line);
  }

  /** OASIS GMT times, e.g. {@code 2019-01-01T08:00:00-00:00}; null if unparseable. */
  private static Instant time(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
