package io.nowcast.ingest.weather;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses one monthly CSV of the LaGuardia observation archive ({@code KLGA_hourly_weather_YYYY_M.csv}, a
 * weather service's observation history, not a NOAA format). Columns are found by header name, so their
 * order does not matter: {@code valid_time_gmt} (epoch seconds, UTC), {@code temp} and {@code dewPt} (°F),
 * {@code rh} (%), {@code pressure} (inHg), {@code wspd} (mph), {@code precip_hrly} (inches in the past
 * hour). Empty fields are missing values ({@code null}); a line with another number of fields than the
 * header, no time or a non-numeric value is quarantined with the reason.
 *
 * <p>Lines are parsed one at a time: the archive never has line breaks inside fields, and per-line parsing
 * keeps exact line numbers and the raw line for quarantine even when quoting is broken.
 */
public final class KlgaCsvParser implements WeatherFileParser {
  private static final long serialVersionUID = 1L;

  /** Station id written to the raw table. */
  public static final String STATION = "KLGA";
  static final String TIME = "valid_time_gmt";
  static final List<String> REQUIRED =
      List.of(TIME, "temp", "dewPt", "rh", "pressure", "wspd", "precip_hrly");

  public static final String WRONG_COLUMN_COUNT = "wrong column count";
  public static final String MISSING_TIME = "missing valid_time_gmt";
  public static final String MALFORMED_CSV_LINE = "malformed CSV line";

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT;
  private static final Pattern FILE_NAME = Pattern.compile("_(\\d{4})_(\\d{1,2})\\.csv$");

  @Override
  public WeatherParseResult parse(String file, byte[] content) {
    List<String> lines = new String(content, StandardCharsets.UTF_8).lines().toList();
    if (lines.isEmpty()) {
      throw new WeatherFormatException(file, "empty file, expected a header line", null);
    }
    Header columns = header(file, lines.get(0));
    List<WeatherRecord> rows = new ArrayList<>();
    List<QuarantinedLine> quarantined = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      long lineNumber = i + 1L;
      try {
        rows.add(row(fields(line), columns, lineNumber));
      } catch (BadLineException e) {
        quarantined.add(new QuarantinedLine(file, lineNumber, e.getMessage(), line));
      }
    }
    return new WeatherParseResult(file, monthOf(file), rows, quarantined, 0);
  }

  /** Column positions by name, and the number of fields every line must have. */
  private record Header(Map<String, Integer> index, int size) {
    int of(String column) {
      return index.get(column);
    }
  }

  /** {@code yyyy-MM-01} from {@code KLGA_hourly_weather_YYYY_M.csv}, or {@code null} for another name. */
  static String monthOf(String file) {
    Matcher m = FILE_NAME.matcher(file);
    if (!m.find()) {
      return null;
    }
    return String.format("%s-%02d-01", m.group(1), Integer.parseInt(m.group(2)));
  }

  private static Header header(String file, String line) {
    List<String> names;
    try {
      names = fields(line);
    } catch (BadLineException e) {
      throw new WeatherFormatException(file, "unreadable header line", null);
    }
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      columns.putIfAbsent(names.get(i).trim(), i);
    }
    List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      // Not this archive's format (or an error page): quarantining every line would hide that.
      throw new WeatherFormatException(file, "header lacks column(s) " + missing, null);
    }
    return new Header(columns, names.size());
  }

  private static List<String> fields(String line) throws BadLineException {
    try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new BadLineException(MALFORMED_CSV_LINE);
      }
      return records.get(0).toList();
    } catch (UncheckedIOException | IOException e) {
      throw new BadLineException(MALFORMED_CSV_LINE);
    }
  }

  private static WeatherRecord row(List<String> f, Header c, long line) throws BadLineException {
    if (f.size() != c.size()) {
      throw new BadLineException(WRONG_COLUMN_COUNT);
    }
    Double time = Values.optionalDouble(f.get(c.of(TIME)), TIME);
    if (time == null) {
      throw new BadLineException(MISSING_TIME);
    }
    if (time != Math.rint(time)) {
      throw new BadLineException("fractional " + TIME);
    }
    return new WeatherRecord(
        STATION,
        time.longValue(),
        line,
        Values.map(value(f, c, "temp"), Units::fahrenheitToCelsius),
        Values.map(value(f, c, "dewPt"), Units::fahrenheitToCelsius),
        value(f, c, "rh"),
        Values.map(value(f, c, "wspd"), Units::mphToMps),
        Values.map(value(f, c, "pressure"), Units::inHgToHpa),
        Values.map(value(f, c, "precip_hrly"), Units::inchesToMm));
  }

  private static Double value(List<String> f, Header c, String column) throws BadLineException {
    return Values.optionalDouble(f.get(c.of(column)), column);
  }
}
