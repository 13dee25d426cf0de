package io.nowcast.ingest.weather;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one Meteostat bulk hourly file ({@code /v2/hourly/{station}.csv.gz}): gzip CSV without header, 13
 * columns per the Meteostat bulk format: {@code date} (YYYY-MM-DD, UTC), {@code hour} (0-23, UTC),
 * {@code temp} (°C), {@code dwpt} (°C), {@code rhum} (%), {@code prcp} (mm), {@code snow} (mm), {@code wdir}
 * (°), {@code wspd} (km/h), {@code wpgt} (km/h), {@code pres} (hPa, sea level), {@code tsun} (min),
 * {@code coco} (condition code). Empty fields are missing. Wind speed is converted to m/s.
 *
 * <p>A bulk file holds a station's whole history; lines outside {@code [fromYear, toYear]} are skipped
 * before parsing (counted in {@link WeatherParseResult#skipped()}), so a run owns only the years it asked
 * for. Meteostat never quotes fields, so a plain split is exact.
 */
public final class MeteostatParser implements WeatherFileParser {
  private static final long serialVersionUID = 1L;

  static final int COLUMNS = 13;
  public static final String WRONG_COLUMN_COUNT = "wrong column count";
  public static final String INVALID_DATE = "invalid date or hour";

  private static final Pattern FILE_NAME = Pattern.compile("(?:^|/)([^/]+)\\.csv\\.gz$");

  private final int fromYear;
  private final int toYear;

  public MeteostatParser(int fromYear, int toYear) {
    if (fromYear > toYear) {
      throw new IllegalArgumentException("fromYear " + fromYear + " > toYear " + toYear);
    }
    this.fromYear = fromYear;
    this.toYear = toYear;
  }

  @Override
  public WeatherParseResult parse(String file, byte[] content) {
    String station = stationOf(file);
    List<String> lines = GzipText.lines(file, content);
    List<WeatherRecord> rows = new ArrayList<>();
    List<QuarantinedLine> quarantined = new ArrayList<>();
    long skipped = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (outsideYears(line)) {
        skipped++;
        continue;
      }
      try {
        rows.add(row(station, line, i + 1L));
      } catch (BadLineException e) {
        quarantined.add(new QuarantinedLine(file, i + 1L, e.getMessage(), line));
      }
    }
    return new WeatherParseResult(file, null, rows, quarantined, skipped);
  }

  /** The station id from a file name or URL ending in {@code {station}.csv.gz}. */
  public static String stationOf(String file) {
    Matcher m = FILE_NAME.matcher(file);
    if (!m.find()) {
      throw new WeatherFormatException(file, "name is not {station}.csv.gz", null);
    }
    return m.group(1);
  }

  /** True only for a line that clearly starts with a year outside the range; anything else is parsed. */
  private boolean outsideYears(String line) {
    if (line.length() < 5 || line.charAt(4) != '-') {
      return false;
    }
    try {
      int year = Integer.parseInt(line.substring(0, 4));
      return year < fromYear || year > toYear;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static WeatherRecord row(String station, String line, long lineNumber) throws BadLineException {
    String[] f = line.split(",", -1);
    if (f.length != COLUMNS) {
      throw new BadLineException(WRONG_COLUMN_COUNT);
    }
    long epochSecond;
    try {
      int hour = Integer.parseInt(f[1].trim());
      epochSecond = LocalDate.parse(f[0].trim()).atTime(hour, 0).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeException | NumberFormatException e) { // DateTimeParseException included
      throw new BadLineException(INVALID_DATE);
    }
    return new WeatherRecord(
        station,
        epochSecond,
        lineNumber,
        Values.optionalDouble(f[2], "temp"),
        Values.optionalDouble(f[3], "dwpt"),
        Values.optionalDouble(f[4], "rhum"),
        Values.map(Values.optionalDouble(f[8], "wspd"), Units::kmhToMps),
        Values.optionalDouble(f[10], "pres"),
        Values.optionalDouble(f[5], "prcp"));
  }
}
