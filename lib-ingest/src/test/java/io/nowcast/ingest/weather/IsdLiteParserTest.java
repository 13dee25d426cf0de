package io.nowcast.ingest.weather;

import static io.nowcast.ingest.weather.WeatherFixtures.gzip;
import static io.nowcast.ingest.weather.WeatherFixtures.isdLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ISD-Lite parser on lines laid out per the ISD-Lite format document. */
class IsdLiteParserTest {
  private static final String FILE = "https://example.invalid/isd-lite/2019/725030-14732-2019.gz";

  @Test
  void documentedLayoutLineBecomesContractUnits() {
    String line = isdLine(2019, 7, 4, 15, 283, 194, 10132, 220, 46, 4, 13, 25);
    assertEquals(IsdLiteParser.LINE_LENGTH, line.length());
    WeatherParseResult r = new IsdLiteParser().parse(FILE, gzip(List.of(line)));
    WeatherRecord w = r.rows().get(0);
    assertEquals("725030-14732", w.station());
    assertEquals(Instant.parse("2019-07-04T15:00:00Z").getEpochSecond(), w.epochSecond());
    assertEquals(28.3, w.tempC(), 1e-12);
    assertEquals(19.4, w.dewpointC(), 1e-12);
    assertEquals(1013.2, w.pressureHpa(), 1e-12);
    assertEquals(4.6, w.windMps(), 1e-12);
    assertEquals(1.3, w.precipMm(), 1e-12);
    assertNull(w.rhPct()); // ISD-Lite publishes no humidity
    assertEquals("2019-01-01", r.day());
  }

  @Test
  void missingIsNullAndTraceIsZero() {
    String line = isdLine(2019, 1, 1, 0, -9999, -9999, -9999, -9999, -9999, -9999, -1, -9999);
    WeatherRecord w = new IsdLiteParser().parse(FILE, gzip(List.of(line))).rows().get(0);
    assertNull(w.tempC());
    assertNull(w.dewpointC());
    assertNull(w.pressureHpa());
    assertNull(w.windMps());
    assertEquals(0.0, w.precipMm());
  }

  @Test
  void badLinesAreQuarantined() {
    String good = isdLine(2019, 1, 1, 0, -50, -100, 10200, 0, 0, 0, 0, 0);
    WeatherParseResult r = new IsdLiteParser().parse(FILE, gzip(List.of(
        good,
        "<html><body>garbage</body></html>",
        isdLine(2019, 2, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0), // 30 February
        good.replace("   -50", "   x50"),
        "2019 01 01 01   -50 -100 10200")));
    assertEquals(1, r.rows().size());
    assertEquals(List.of(IsdLiteParser.SHORT_LINE, IsdLiteParser.INVALID_DATE, "non-numeric air temperature",
        IsdLiteParser.SHORT_LINE), r.quarantined().stream().map(q -> q.reason()).toList());
    assertEquals(List.of(2L, 3L, 4L, 5L), r.quarantined().stream().map(q -> q.line()).toList());
  }

  @Test
  void truncatedOrNonGzipBodiesFailNamingTheFile() {
    byte[] whole = gzip(List.of(isdLine(2019, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0).repeat(1)));
    WeatherFormatException cut = assertThrows(WeatherFormatException.class,
        () -> new IsdLiteParser().parse(FILE, WeatherFixtures.cut(whole, 0.6)));
    assertTrue(cut.getMessage().startsWith(FILE) && cut.getMessage().contains("truncated"), cut.getMessage());
    WeatherFormatException html = assertThrows(WeatherFormatException.class,
        () -> new IsdLiteParser().parse(FILE, "<html>Service Unavailable</html>".getBytes()));
    assertTrue(html.getMessage().contains("not a gzip") && html.getMessage().contains("<html>"),
        html.getMessage());
  }
}
