package io.nowcast.ingest.nyiso;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses one daily NYISO {@code pal} CSV ("Real-Time Actual Load", e.g. {@code 20191103pal.csv}) into rows in
 * UTC and quarantined lines. Plain Java, no Spark: the archive ingest runs it on executors, and the same
 * parser reads the daily CSV fetched over HTTP.
 *
 * <p>Format: header {@code "Time Stamp","Time Zone","Name","PTID","Load"}; {@code Time Stamp} is local New
 * York time {@code MM/dd/yyyy HH:mm:ss}; {@code Time Zone} is {@code EST} (UTC-5) or {@code EDT} (UTC-4) and
 * is the only thing that tells apart the two 01:xx hours of the autumn DST day, so the UTC instant is
 * computed from the stamp and that column, never from a zone-rules guess.
 *
 * <p>Row-level problems quarantine the line with a categorical reason ({@link #WRONG_COLUMN_COUNT},
 * {@link #UNPARSEABLE_TIME_STAMP}, {@code unknown time zone 'XYZ'}, {@link #ZONE_NOT_IN_EFFECT},
 * {@link #EMPTY_ZONE_NAME}, {@link #NON_NUMERIC_LOAD}, {@link #NEGATIVE_LOAD}, {@link #MALFORMED_CSV_LINE},
 * {@link #MISSING_HEADER}). An empty {@code Load} is a published gap: the row is kept with a {@code null}
 * load. A body that is not this CSV at all (HTML error page, empty body, another header) throws {@link
 * NyisoPalFormatException} naming the file, because quarantining every line of an error page would hide the
 * real failure.
 *
 * <p>A file is read whole and parsed by one Commons CSV parser. NYISO never puts line breaks inside fields,
 * so if quoting is broken anywhere (the parser fails, or a record spans lines) the file is parsed again one
 * line at a time, and only the broken lines are quarantined, with their exact line numbers. Instances are
 * stateless and thread-safe.
 */
public final class NyisoPalCsvParser {
  /** The published header of {@code pal}, in order ({@code palIntegrated}: last column "Integrated Load"). */
  public static final List<String> HEADER = header(NyisoFeed.PAL);

  public static final String WRONG_COLUMN_COUNT = "wrong column count";
  public static final String UNPARSEABLE_TIME_STAMP = "unparseable time stamp";
  public static final String UNKNOWN_TIME_ZONE_PREFIX = "unknown time zone ";
  /** The stamp does not exist with that offset in New York, e.g. {@code 07/01/2019 12:00:00 EST}. */
  public static final String ZONE_NOT_IN_EFFECT = "time zone not in effect in New York at that local time";
  public static final String EMPTY_ZONE_NAME = "empty zone name";
  public static final String NON_NUMERIC_LOAD = "non-numeric load";
  public static final String NEGATIVE_LOAD = "negative load";
  public static final String MALFORMED_CSV_LINE = "malformed CSV line";
  /** The file starts with data: the column order cannot be verified, so every line is quarantined. */
  public static final String MISSING_HEADER = "missing header";

  private static final int COLUMNS = HEADER.size();

  private final NyisoFeed feed;
  private final List<String> header;

  /** A parser of {@code pal} files. */
  public NyisoPalCsvParser() {
    this(NyisoFeed.PAL);
  }

  /** A parser of {@code feed}'s files: {@link NyisoFeed#PAL} or {@link NyisoFeed#PAL_INTEGRATED}. */
  public NyisoPalCsvParser(NyisoFeed feed) {
    if (feed.loadColumn() == null) {
      throw new IllegalArgumentException(feed + " is not a load feed of the pal layout");
    }
    this.feed = feed;
    this.header = header(feed);
  }

  /** The header of a load feed: time stamp, time zone, zone name, PTID and its load column. */
  public static List<String> header(NyisoFeed feed) {
    return List.of("Time Stamp", "Time Zone", "Name", "PTID", feed.loadColumn());
  }
  private static final int TIME_STAMP = 0;
  private static final int TIME_ZONE = 1;
  private static final int NAME = 2;
  private static final int LOAD = 4;

  private static final Map<String, ZoneOffset> OFFSETS =
      Map.of("EST", ZoneOffset.ofHours(-5), "EDT", ZoneOffset.ofHours(-4));
  private static final ZoneRules NEW_YORK = ZoneId.of("America/New_York").getRules();
  private static final CSVFormat LINE_FORMAT =
      CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).build();
  private static final CSVFormat WHOLE_FORMAT = LINE_FORMAT.builder().setIgnoreEmptyLines(true).build();
  private static final int SNIPPET = 80;

  /** Parses a UTF-8 byte stream; the stream is read to its end but not closed. */
  public NyisoPalParseResult parse(String file, InputStream in) throws IOException {
    return parse(file, new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Parses a character stream; the reader is read to its end but not closed. */
  public NyisoPalParseResult parse(String file, Reader in) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      text.append(buffer, 0, n);
    }
    // A UTF-8 byte-order mark is not part of the first field.
    String body = text.length() > 0 && text.charAt(0) == '\uFEFF' ? text.substring(1) : text.toString();
    try {
      return parseWhole(file, body);
    } catch (MalformedCsvException e) {
      // Rare: broken quoting derails a whole-file parse, so redo this file line by line to quarantine exactly
      // the broken lines (slower: a parser per line).
      return parseLineByLine(file, body);
    }
  }

  /** Fast path: one CSV parser over the whole file; raw lines and line numbers from record positions. */
  private NyisoPalParseResult parseWhole(String file, String body) {
    Accumulator out = new Accumulator(file, feed, header);
    long lineNo = 1;
    int scanned = 0;
    try (CSVParser parser = CSVParser.parse(body, WHOLE_FORMAT)) {
      for (CSVRecord record : parser) {
        int start = (int) record.getCharacterPosition();
        for (int i = scanned; i < start; i++) {
          if (body.charAt(i) == '\n') {
            lineNo++;
          }
        }
        scanned = start;
        List<String> fields = record.toList();
        if (fields.size() == 1 && fields.get(0).isEmpty()) {
          continue; // a line of spaces: blank, as in the line-by-line path
        }
        for (String field : fields) {
          if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
            throw new MalformedCsvException(); // a record spanning lines: quoting is broken somewhere
          }
        }
        out.accept(lineNo, lineAt(body, start), Optional.of(fields));
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new MalformedCsvException();
    }
    return out.result();
  }

  /** Slow path: each line split on its own, so a malformed line is quarantined with its line number. */
  private NyisoPalParseResult parseLineByLine(String file, String body) {
    Accumulator out = new Accumulator(file, feed, header);
    long lineNo = 0;
    for (String line : (Iterable<String>) body.lines()::iterator) {
      lineNo++;
      if (!line.isBlank()) {
        out.accept(lineNo, line, split(line));
      }
    }
    return out.result();
  }

  private static String lineAt(String body, int start) {
    int end = body.indexOf('\n', start);
    end = end < 0 ? body.length() : end;
    if (end > start && body.charAt(end - 1) == '\r') {
      end--;
    }
    return body.substring(start, end);
  }

  /** Thrown inside the fast path to switch to the line-by-line parse. */
  private static final class MalformedCsvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedCsvException() {
      super(null, null, false, false);
    }
  }

  /** Collects rows and quarantined lines of one file, header first. */
  private static final class Accumulator {
    private final String file;
    private final NyisoFeed feed;
    private final List<String> header;
    private final List<NyisoPalRow> rows = new ArrayList<>();
    private final List<QuarantinedLine> quarantined = new ArrayList<>();
    private boolean headerSeen;
    private boolean headerMissing;

    Accumulator(String file, NyisoFeed feed, List<String> header) {
      this.file = file;
      this.feed = feed;
      this.header = header;
    }

    /** One non-blank line: its number, text and fields (empty when its CSV quoting is broken). */
    void accept(long lineNo, String line, Optional<List<String>> fields) {
      if (!headerSeen) {
        headerSeen = true;
        headerMissing = checkHeader(file, feed, header, lineNo, line, fields);
        if (!headerMissing) {
          return;
        }
      }
      if (headerMissing) {
        quarantined.add(new QuarantinedLine(file, lineNo, MISSING_HEADER, line));
      } else if (fields.isEmpty()) {
        quarantined.add(new QuarantinedLine(file, lineNo, MALFORMED_CSV_LINE, line));
      } else {
        parseFields(file, lineNo, line, fields.get(), rows, quarantined);
      }
    }

    NyisoPalParseResult result() {
      if (!headerSeen) {
        throw new NyisoPalFormatException(
            file, "empty body, expected a NYISO " + feed.folder() + " CSV with header " + header);
      }
      return new NyisoPalParseResult(file, rows, quarantined);
    }
  }

  /**
   * Validates the first non-blank line. Returns {@code true} when the header is missing but the line is a
   * data row (the file is still this format); throws when the body is something else entirely.
   */
  private static boolean checkHeader(
      String file, NyisoFeed feed, List<String> header, long lineNo, String line,
      Optional<List<String>> fields) {
    if (line.stripLeading().startsWith("<")) {
      throw new NyisoPalFormatException(
          file, "body is HTML/XML, not a NYISO " + feed.folder() + " CSV (line " + lineNo + " starts '" + snippet(line) + "')");
    }
    if (fields.isPresent() && fields.get().stream().map(String::strip).toList().equals(header)) {
      return false;
    }
    if (fields.isPresent()
        && fields.get().size() == COLUMNS
        && localStamp(fields.get().get(TIME_STAMP)).isPresent()) {
      return true;
    }
    throw new NyisoPalFormatException(
        file,
        "not a NYISO " + feed.folder() + " CSV: expected header " + header + " but line " + lineNo + " is '" + snippet(line)
            + "'");
  }

  private static void parseFields(
      String file,
      long lineNo,
      String line,
      List<String> f,
      List<NyisoPalRow> rows,
      List<QuarantinedLine> quarantined) {
    String reason = null;
    NyisoPalRow row = null;
    if (f.size() != COLUMNS) {
      reason = WRONG_COLUMN_COUNT;
    } else {
      Optional<LocalDateTime> local = localStamp(f.get(TIME_STAMP));
      String zone = f.get(TIME_ZONE).strip();
      ZoneOffset offset = OFFSETS.get(zone);
      String region = f.get(NAME).strip();
      String load = f.get(LOAD).strip();
      if (local.isEmpty()) {
        reason = UNPARSEABLE_TIME_STAMP;
      } else if (offset == null) {
        reason = UNKNOWN_TIME_ZONE_PREFIX + "'" + abbreviate(zone, 16) + "'";
      } else if (!NEW_YORK.isValidOffset(local.get(), offset)) {
        // EST in July, or a spring-forward 02:xx stamp: trusting it would shift the row by an hour silently.
        reason = ZONE_NOT_IN_EFFECT;
      } else if (region.isEmpty()) {
        reason = EMPTY_ZONE_NAME;
      } else if (load.isEmpty()) {
        row = new NyisoPalRow(file, lineNo, region, local.get().toInstant(offset), null);
      } else if (!PlainDecimal.isPlainDecimal(load)) {
        reason = NON_NUMERIC_LOAD;
      } else {
        double mw = Double.parseDouble(load);
        if (mw < 0) {
          reason = NEGATIVE_LOAD;
        } else {
          row = new NyisoPalRow(file, lineNo, region, local.get().toInstant(offset), mw);
        }
      }
    }
    if (row != null) {
      rows.add(row);
    } else {
      quarantined.add(new QuarantinedLine(file, lineNo, reason, line));
    }
  }

  /** Splits one line as CSV; empty when the quoting is broken. */
  private static Optional<List<String>> split(String line) {
    try (CSVParser parser = CSVParser.parse(line, LINE_FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        return Optional.empty();
      }
      return Optional.of(records.get(0).toList());
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses {@code MM/dd/yyyy HH:mm:ss} strictly. Hand-written because {@code DateTimeFormatter} costs about
   * as much as the whole CSV split and this runs once per row; {@link LocalDateTime#of} still rejects
   * impossible dates such as 02/30.
   */
  static Optional<LocalDateTime> localStamp(String raw) {
    String t = raw.strip();
    if (t.length() != 19
        || t.charAt(2) != '/'
        || t.charAt(5) != '/'
        || t.charAt(10) != ' '
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return Optional.empty();
    }
    int month = digits(t, 0, 2);
    int day = digits(t, 3, 2);
    int year = digits(t, 6, 4);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if ((month | day | year | hour | minute | second) < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.of(year, month, day, hour, minute, second));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The decimal number of {@code length} ASCII digits at {@code from}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static String snippet(String line) {
    return abbreviate(line.strip(), SNIPPET);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
