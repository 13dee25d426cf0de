package io.nowcast.ingest.nyiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daily CSV parser on small inline files in the published format. */
class NyisoPalCsvParserTest {
  private static final String HEADER = "\"Time Stamp\",\"Time Zone\",\"Name\",\"PTID\",\"Load\"\r\n";
  private static final String FILE = "20191103pal.csv";

  private final NyisoPalCsvParser parser = new NyisoPalCsvParser();

  private NyisoPalParseResult parse(String body) throws IOException {
    return parser.parse(FILE, new StringReader(body));
  }

  @Test
  void estAndEdtGiveTheUtcOffsetOfTheTimeZoneColumn() throws IOException {
    NyisoPalParseResult r =
        parse(
            HEADER
                + "\"11/03/2019 01:05:00\",\"EDT\",\"N.Y.C.\",61761,4174.4\r\n"
                + "\"11/03/2019 01:05:00\",\"EST\",\"N.Y.C.\",61761,4100\r\n"
                + "\"01/15/2019 23:55:00\",\"EST\",\"HUD VL\",61758,1000.5\r\n");
    assertEquals(List.of(), r.quarantined());
    List<NyisoPalRow> rows = r.rows();
    assertEquals(3, rows.size());
    // EDT = UTC-4, EST = UTC-5: the repeated local hour is two different instants.
    assertEquals(Instant.parse("2019-11-03T05:05:00Z"), rows.get(0).tsUtc());
    assertEquals(Instant.parse("2019-11-03T06:05:00Z"), rows.get(1).tsUtc());
    assertEquals(Instant.parse("2019-01-16T04:55:00Z"), rows.get(2).tsUtc()); // crosses midnight UTC
    assertEquals("N.Y.C.", rows.get(0).region());
    assertEquals("HUD VL", rows.get(2).region());
    assertEquals(4174.4, rows.get(0).loadMw());
    assertEquals(2, rows.get(0).line());
    assertEquals(4, rows.get(2).line());
  }

  @Test
  void emptyLoadIsAKeptGapNotAnError() throws IOException {
    NyisoPalParseResult r =
        parse(
            HEADER
                + "\"03/10/2019 03:00:00\",\"EDT\",\"WEST\",61752,\r\n"
                + "\"03/10/2019 03:05:00\",\"EDT\",\"WEST\",61752,\"\"\r\n"
                + "\"03/10/2019 03:10:00\",\"EDT\",\"WEST\",61752,1500\r\n");
    assertEquals(List.of(), r.quarantined());
    assertEquals(3, r.rows().size());
    assertNull(r.rows().get(0).loadMw());
    assertNull(r.rows().get(1).loadMw());
    assertEquals(2, r.emptyLoadRows());
  }

  @Test
  void badLinesAreQuarantinedWithReasonAndLineNumber() throws IOException {
    String good = "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752,1500\r\n";
    NyisoPalParseResult r =
        parse(
            HEADER
                + "\"07/01/2019 12:00:00\",\"XYZ\",\"WEST\",61752,1500\r\n" // line 2
                + "\"07/32/2019 12:00:00\",\"EDT\",\"WEST\",61752,1500\r\n" // line 3
                + "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752,12a\r\n" // line 4
                + "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752,-3.5\r\n" // line 5
                + "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752\r\n" // line 6
                + good // line 7
                + "\"07/01/2019 12:00:00\",\"EST\",\"WEST\",61752,1500\r\n" // line 8: EST in July
                + "\"03/10/2019 02:30:00\",\"EDT\",\"WEST\",61752,1500\r\n" // line 9: spring gap
                + "\"07/01/2019 12:00:00\",\"EDT\",\"\",61752,1500\r\n" // line 10
                + "\"07/01/2019 12:00:00\",\"EDT\",\"WE\"ST\",61752,1500\r\n" // line 11
                + "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752,NaN\r\n" // line 12
                + "\r\n");
    assertEquals(1, r.rows().size());
    assertEquals(7, r.rows().get(0).line());
    List<String> reasons = r.quarantined().stream().map(QuarantinedLine::reason).toList();
    assertEquals(
        List.of(
            "unknown time zone 'XYZ'",
            NyisoPalCsvParser.UNPARSEABLE_TIME_STAMP,
            NyisoPalCsvParser.NON_NUMERIC_LOAD,
            NyisoPalCsvParser.NEGATIVE_LOAD,
            NyisoPalCsvParser.WRONG_COLUMN_COUNT,
            NyisoPalCsvParser.ZONE_NOT_IN_EFFECT,
            NyisoPalCsvParser.ZONE_NOT_IN_EFFECT,
            NyisoPalCsvParser.EMPTY_ZONE_NAME,
            NyisoPalCsvParser.MALFORMED_CSV_LINE,
            NyisoPalCsvParser.NON_NUMERIC_LOAD),
        reasons);
    assertEquals(
        List.of(2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L, 12L),
        r.quarantined().stream().map(QuarantinedLine::line).toList());
    assertEquals(FILE, r.quarantined().get(0).file());
    assertTrue(r.quarantined().get(2).raw().endsWith(",12a"), "the raw line is kept");
    assertEquals(11, r.linesRead());
  }

  @Test
  void aFileWithoutHeaderIsQuarantinedWhole() throws IOException {
    NyisoPalParseResult r =
        parse(
            "\"07/01/2019 12:00:00\",\"EDT\",\"WEST\",61752,1500\r\n"
                + "\"07/01/2019 12:05:00\",\"EDT\",\"WEST\",61752,1501\r\n");
    assertEquals(List.of(), r.rows());
    assertEquals(2, r.quarantined().size());
    r.quarantined().forEach(q -> assertEquals(NyisoPalCsvParser.MISSING_HEADER, q.reason()));
  }

  @Test
  void byteOrderMarkAndUnquotedHeaderAreAccepted() throws IOException {
    NyisoPalParseResult r =
        parse("\uFEFFTime Stamp,Time Zone,Name,PTID,Load\n07/01/2019 12:00:00,EDT,WEST,61752,1500\n");
    assertEquals(1, r.rows().size());
    assertEquals(Instant.parse("2019-07-01T16:00:00Z"), r.rows().get(0).tsUtc());
  }

  @Test
  void htmlBodyIsAnErrorNamingTheFile() {
    NyisoPalFormatException e =
        assertThrows(
            NyisoPalFormatException.class,
            () -> parse("<!DOCTYPE html>\n<html><body>Service unavailable</body></html>\n"));
    assertEquals(FILE, e.input());
    assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("HTML"), e.getMessage());
  }

  @Test
  void otherCsvAndEmptyBodiesAreErrorsNamingTheFile() {
    NyisoPalFormatException other =
        assertThrows(
            NyisoPalFormatException.class,
            () -> parse("\"Time Stamp\",\"Capitl\",\"Centrl\"\r\n\"01/01/2019 00:00\",1,2\r\n"));
    assertTrue(other.getMessage().contains(FILE), other.getMessage());
    NyisoPalFormatException empty = assertThrows(NyisoPalFormatException.class, () -> parse("\r\n"));
    assertTrue(empty.getMessage().contains(FILE), empty.getMessage());
  }
}
