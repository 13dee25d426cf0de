package io.nowcast.ingest.nyiso;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses one daily NYISO {@code isolf} CSV (the ISO's load forecast, e.g. {@code 20191103isolf.csv}).
 *
 * <p>Format: header {@code "Time Stamp","Capitl",...,"West","NYISO"}, then one line per forecast hour with a
 * value per zone column; {@code Time Stamp} is the hour's start in New York local time, {@code MM/dd/yyyy
 * HH:mm}. The file has no time-zone column, so local time is turned into UTC with New York's rules:
 * <ul>
 *   <li>spring-forward day: NYISO publishes no {@code 02:00} line (that local hour does not exist); one that
 *       appears anyway is quarantined ({@link #TIME_NOT_IN_NEW_YORK});
 *   <li>autumn day: the repeated hour {@code 01:00} appears twice. The first line is the earlier instant
 *       (EDT, 05:00 UTC), the second the later one (EST, 06:00 UTC), as the file lists hours in time order.
 *       In the 2016–2019 files both lines carry identical values (NYISO repeats the line); in 2015 they
 *       differ. A third copy, or a repeat of any other hour, is quarantined ({@link #REPEATED_TIME_STAMP}).
 * </ul>
 * A line with a bad value is quarantined whole (its other zones are not kept: a line is one forecast). A body
 * that is not this CSV (HTML error page, empty, another header, an unknown zone column) throws
 * {@link NyisoPalFormatException} naming the file. Stateless and thread-safe.
 */
public final class IsolfCsvParser {
  public static final String TIME_STAMP = "Time Stamp";

  public static final String WRONG_COLUMN_COUNT = "wrong column count";
  public static final String UNPARSEABLE_TIME_STAMP = "unparseable time stamp";
  /** A local time in New York's spring-forward gap. */
  public static final String TIME_NOT_IN_NEW_YORK = "local time does not exist in New York (DST gap)";
  public static final String REPEATED_TIME_STAMP = "repeated time stamp";
  public static final String EMPTY_FORECAST = "empty forecast value";
  public static final String NON_NUMERIC_FORECAST = "non-numeric forecast value";
  public static final String NEGATIVE_FORECAST = "negative forecast value";
  public static final String MALFORMED_CSV_LINE = "malformed CSV line";

  private static final ZoneRules NEW_YORK = ZoneId.of("America/New_York").getRules();
  private static final CSVFormat LINE_FORMAT =
      CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).build();

  /**
   * Parses a UTF-8 daily file; the stream is read to its end but not closed.
   *
   * @param file the file name, {@code YYYYMMDDisolf.csv} (a leading folder is allowed): its day is the issue day
   */
  public IsolfParseResult parse(String file, InputStream in) throws IOException {
    LocalDate issueDate =
        NyisoFeed.ISOLF.dayOf(file).orElseThrow(() -> new NyisoPalFormatException(file,
            "not a daily isolf file name (expected YYYYMMDDisolf.csv)"));
    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (body.startsWith("\uFEFF")) {
      body = body.substring(1);
    }
    List<String> lines = body.lines().toList();
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size()) {
      throw new NyisoPalFormatException(file, "empty body, expected a NYISO isolf CSV");
    }
    String headerLine = lines.get(first);
    if (headerLine.stripLeading().startsWith("<")) {
      throw new NyisoPalFormatException(file, "body is HTML/XML, not a NYISO isolf CSV (line " + (first + 1)
          + " starts '" + abbreviate(headerLine.strip()) + "')");
    }
    List<String> regions = regions(file, split(headerLine)
        .orElseThrow(() -> new NyisoPalFormatException(file, "unreadable header '" + abbreviate(headerLine) + "'")));
    List<IsolfRow> rows = new ArrayList<>();
    List<QuarantinedLine> quarantined = new ArrayList<>();
    Map<LocalDateTime, Integer> seen = new HashMap<>();
    for (int i = first + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isBlank()) {
        parseLine(file, i + 1L, line, regions, seen, rows, quarantined);
      }
    }
    return new IsolfParseResult(NyisoPalFiles.baseName(file), issueDate, rows, quarantined);
  }

  /** The region of each value column, in order; throws on anything but a known, complete-enough header. */
  private static List<String> regions(String file, List<String> header) {
    List<String> names = header.stream().map(String::strip).toList();
    if (names.isEmpty() || !names.get(0).equals(TIME_STAMP)) {
      throw new NyisoPalFormatException(file, "not a NYISO isolf CSV: first column is '"
          + (names.isEmpty() ? "" : abbreviate(names.get(0))) + "', expected '" + TIME_STAMP + "'");
    }
    List<String> regions = new ArrayList<>();
    Set<String> unique = new HashSet<>();
    for (String column : names.subList(1, names.size())) {
      String region = IsolfZones.REGION_BY_COLUMN.get(column);
      if (region == null) {
        throw new NyisoPalFormatException(file, "unknown zone column '" + abbreviate(column)
            + "' (known: " + IsolfZones.REGION_BY_COLUMN.keySet() + ")");
      }
      if (!unique.add(region)) {
        throw new NyisoPalFormatException(file, "zone column '" + column + "' appears twice");
      }
      regions.add(region);
    }
    if (regions.isEmpty()) {
      throw new NyisoPalFormatException(file, "not a NYISO isolf CSV: no zone columns");
    }
    return regions;
  }

  private static void parseLine(String file, long lineNo, String line, List<String> regions,
      Map<LocalDateTime, Integer> seen, List<IsolfRow> rows, List<QuarantinedLine> quarantined) {
    Optional<List<String>> split = split(line);
    String reason = null;
    if (split.isEmpty()) {
      reason = MALFORMED_CSV_LINE;
    } else if (split.get().size() != regions.size() + 1) {
      reason = WRONG_COLUMN_COUNT;
    }
    Optional<LocalDateTime> local = Optional.empty();
    if (reason == null) {
      local = localHour(split.get().get(0));
      if (local.isEmpty()) {
        reason = UNPARSEABLE_TIME_STAMP;
      }
    }
    double[] values = new double[regions.size()];
    for (int c = 0; reason == null && c < values.length; c++) {
      String v = split.get().get(c + 1).strip();
      if (v.isEmpty()) {
        reason = EMPTY_FORECAST;
      } else if (!PlainDecimal.isPlainDecimal(v)) {
        reason = NON_NUMERIC_FORECAST;
      } else {
        values[c] = Double.parseDouble(v);
        if (values[c] < 0) {
          reason = NEGATIVE_FORECAST;
        }
      }
    }
    ZoneOffset offset = null;
    if (reason == null) {
      List<ZoneOffset> offsets = NEW_YORK.getValidOffsets(local.get());
      int occurrence = seen.merge(local.get(), 1, Integer::sum);
      if (offsets.isEmpty()) {
        reason = TIME_NOT_IN_NEW_YORK;
      } else if (occurrence > offsets.size()) {
        reason = REPEATED_TIME_STAMP;
      } else {
        // In the autumn overlap the valid offsets are [EDT, EST]: the n-th copy of the hour takes the n-th.
        offset = offsets.get(occurrence - 1);
      }
    }
    if (reason != null) {
      quarantined.add(new QuarantinedLine(NyisoPalFiles.baseName(file), lineNo, reason, line));
      return;
    }
    java.time.Instant target = local.get().toInstant(offset);
    for (int c = 0; c < values.length; c++) {
      rows.add(new IsolfRow(lineNo, regions.get(c), target, values[c]));
    }
  }

  /** {@code MM/dd/yyyy HH:mm} (or with {@code :ss}), strictly. */
  static Optional<LocalDateTime> localHour(String raw) {
    String t = raw.strip();
    return NyisoPalCsvParser.localStamp(t.length() == 16 ? t + ":00" : t);
  }

  /** Splits one line as CSV (Commons CSV, NYISO's quoting); empty when the quoting is broken. */
  private static Optional<List<String>> split(String line) {
    try (CSVParser parser = CSVParser.parse(line, LINE_FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      return records.size() == 1 ? Optional.of(records.get(0).toList()) : Optional.empty();
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
