package io.nowcast.ingest.weather;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one NOAA ISD-Lite station-year file ({@code USAF-WBAN-YYYY.gz}) per the ISD-Lite format document:
 * fixed positions (1-based, inclusive) year 1-4, month 6-7, day 9-10, hour 12-13 (UTC), air temperature
 * 14-19 and dew point 20-25 (°C × 10), sea-level pressure 26-31 (hPa × 10), wind direction 32-37 (degrees),
 * wind speed 38-43 (m/s × 10), sky cover 44-49, 1-hour precipitation 50-55 and 6-hour precipitation 56-61
 * (mm × 10). {@value #MISSING} means missing; a precipitation of {@value #TRACE} is a trace, written as 0 mm
 * (a trace is by definition below the 0.1 mm the field can express). ISD-Lite has no humidity, so
 * {@code rh_pct} stays null: the raw table keeps what the source publishes, and derived humidity is a
 * feature's business.
 *
 * <p>The station id ({@code USAF-WBAN}) comes from the file name, the only place it is written.
 */
public final class IsdLiteParser implements WeatherFileParser {
  private static final long serialVersionUID = 1L;

  static final int MISSING = -9999;
  static final int TRACE = -1;
  /** Length of a record line: the last field ends at column 61. */
  static final int LINE_LENGTH = 61;

  public static final String SHORT_LINE = "short line";
  public static final String BAD_SEPARATORS = "not ISD-Lite fixed-width layout";
  public static final String INVALID_DATE = "invalid date or hour";

  private static final Pattern FILE_NAME = Pattern.compile("(?:^|/)(\\d{6})-(\\d{5})-(\\d{4})\\.gz$");

  @Override
  public WeatherParseResult parse(String file, byte[] content) {
    String station = stationOf(file);
    String day = yearOf(file) + "-01-01";
    List<String> lines = GzipText.lines(file, content);
    List<WeatherRecord> rows = new ArrayList<>();
    List<QuarantinedLine> quarantined = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(row(station, line, i + 1L));
      } catch (BadLineException e) {
        quarantined.add(new QuarantinedLine(file, i + 1L, e.getMessage(), line));
      }
    }
    return new WeatherParseResult(file, day, rows, quarantined, 0);
  }

  /** {@code USAF-WBAN} from a file name or URL ending in {@code USAF-WBAN-YYYY.gz}. */
  public static String stationOf(String file) {
    Matcher m = FILE_NAME.matcher(file);
    if (!m.find()) {
      throw new WeatherFormatException(file, "name is not USAF-WBAN-YYYY.gz", null);
    }
    return m.group(1) + "-" + m.group(2);
  }

  private static String yearOf(String file) {
    Matcher m = FILE_NAME.matcher(file);
    if (!m.find()) {
      throw new WeatherFormatException(file, "name is not USAF-WBAN-YYYY.gz", null);
    }
    return m.group(3);
  }

  private static WeatherRecord row(String station, String line, long lineNumber) throws BadLineException {
    if (line.stripTrailing().length() < LINE_LENGTH) {
      throw new BadLineException(SHORT_LINE);
    }
    if (line.charAt(4) != ' ' || line.charAt(7) != ' ' || line.charAt(10) != ' '
        || !line.substring(LINE_LENGTH).isBlank()) {
      throw new BadLineException(BAD_SEPARATORS);
    }
    long epochSecond;
    try {
      epochSecond =
          LocalDateTime.of(
                  Values.fixedInt(line, 1, 4, "year"),
                  Values.fixedInt(line, 6, 7, "month"),
                  Values.fixedInt(line, 9, 10, "day"),
                  Values.fixedInt(line, 12, 13, "hour"),
                  0)
              .toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new BadLineException(INVALID_DATE);
    }
    return new WeatherRecord(
        station,
        epochSecond,
        lineNumber,
        tenths(Values.fixedInt(line, 14, 19, "air temperature")),
        tenths(Values.fixedInt(line, 20, 25, "dew point")),
        null,
        tenths(Values.fixedInt(line, 38, 43, "wind speed")),
        tenths(Values.fixedInt(line, 26, 31, "sea level pressure")),
        precipitation(Values.fixedInt(line, 50, 55, "1-hour precipitation")));
  }

  private static Double tenths(int scaled) {
    return scaled == MISSING ? null : scaled / 10.0;
  }

  private static Double precipitation(int scaled) {
    return scaled == TRACE ? Double.valueOf(0.0) : tenths(scaled);
  }
}
