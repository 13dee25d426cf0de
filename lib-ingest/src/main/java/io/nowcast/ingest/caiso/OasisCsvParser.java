package io.nowcast.ingest.caiso;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses the CSV of an OASIS {@code SLD_FCST} answer ({@code resultformat=6}), columns as in CAISO's OASIS
 * interface specification: {@code INTERVALSTARTTIME_GMT, INTERVALENDTIME_GMT, OPR_DT, OPR_HR, OPR_INTERVAL,
 * MARKET_RUN_ID, TAC_AREA_NAME, LABEL, XML_DATA_ITEM, POS, MW, EXECUTION_TYPE, GROUP}. Columns are found by
 * name, not position (OASIS versions add columns); the four used ones must be there or the file is refused.
 */
final class OasisCsvParser {
  static final String START = "INTERVALSTARTTIME_GMT";
  static final String END = "INTERVALENDTIME_GMT";
  static final String TAC_AREA = "TAC_AREA_NAME";
  static final String MW = "MW";
  static final String WRONG_COLUMN_COUNT = "wrong column count";
  static final String MALFORMED_CSV = "malformed CSV";

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true)
      .build();

  OasisParseResult parse(String request, String file, String text) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    if (body.isBlank()) {
      throw new OasisFormatException(request, file + " is empty");
    }
    List<OasisRow> rows = new ArrayList<>();
    Map<String, Long> quarantine = new TreeMap<>();
    try (CSVParser csv = CSVParser.parse(body, FORMAT)) {
      List<String> header = csv.getHeaderNames();
      for (String needed : List.of(START, END, TAC_AREA, MW)) {
        if (!header.contains(needed)) {
          throw new OasisFormatException(request, file + " is not an SLD_FCST CSV: no column " + needed
              + " in header " + abbreviate(String.join(",", header)));
        }
      }
      for (CSVRecord r : csv) {
        long line = r.getRecordNumber() + 1; // + the header line
        if (r.size() != header.size()) {
          quarantine.merge(WRONG_COLUMN_COUNT, 1L, Long::sum);
          continue;
        }
        OasisRow row = OasisFields.check(r.get(TAC_AREA), r.get(START), r.get(END), r.get(MW), line, quarantine);
        if (row != null) {
          rows.add(row);
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
      // Commons CSV gives up on broken quoting or a duplicate header: the file as a whole is unusable.
      throw new OasisFormatException(request, file + ": " + MALFORMED_CSV + " (" + e.getMessage() + ")", e);
    }
    return new OasisParseResult(file, rows, quarantine);
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
