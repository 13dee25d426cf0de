package io.nowcast.ingest.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import io.nowcast.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The LaGuardia CSV parser on real monthly files of the archive: unit conversions checked against values
 * computed by hand from the published °F, inHg, mph and inches of a few real lines.
 */
class KlgaCsvParserTest {
  static final String ARCHIVE = "weather/klga_hourly_wu.zip";
  private static final double EPS = 1e-9;

  static byte[] entry(String name) throws IOException {
    Path zip = SharedData.require(ARCHIVE);
    try (ZipFile file = new ZipFile(zip.toFile());
        InputStream in = file.getInputStream(file.getEntry(name))) {
      return in.readAllBytes();
    }
  }

  private static WeatherRecord at(WeatherParseResult r, long epochSecond) {
    return r.rows().stream().filter(w -> w.epochSecond() == epochSecond).findFirst().orElseThrow();
  }

  @Test
  void convertsRealRowsToContractUnits() throws IOException {
    WeatherParseResult r = new KlgaCsvParser().parse("KLGA_hourly_weather_2019_11.csv",
        entry("KLGA_hourly_weather_2019_11.csv"));
    // Line 2: valid_time_gmt 1572582300, temp 66 °F, dewPt 64 °F, rh 93, pressure 29.48 inHg, wspd 26 mph,
    // precip_hrly 0.0 in.
    WeatherRecord first = at(r, 1572582300L);
    assertEquals("KLGA", first.station());
    assertEquals(2, first.line());
    assertEquals(34.0 * 5 / 9, first.tempC(), EPS); // 18.888… °C
    assertEquals(32.0 * 5 / 9, first.dewpointC(), EPS); // 17.777… °C
    assertEquals(93.0, first.rhPct(), EPS);
    assertEquals(998.307477, first.pressureHpa(), 1e-6); // 29.48 × 33.86389
    assertEquals(11.62304, first.windMps(), EPS); // 26 × 0.44704
    assertEquals(0.0, first.precipMm(), EPS);
    // Line 5: temp 65 °F, dewPt 63 °F, pressure 29.52 inHg, wspd 30 mph, precip_hrly 0.01 in.
    WeatherRecord rain = at(r, 1572585000L);
    assertEquals(33.0 * 5 / 9, rain.tempC(), EPS);
    assertEquals(999.6620328, rain.pressureHpa(), 1e-6);
    assertEquals(13.4112, rain.windMps(), EPS);
    assertEquals(0.254, rain.precipMm(), EPS);
    // Every data line of the file became a row: 795 lines minus the header.
    assertEquals(794, r.rows().size());
    assertTrue(r.quarantined().isEmpty());
    assertEquals("2019-11-01", r.day());
  }

  @Test
  void emptyFieldsAreMissingValues() throws IOException {
    // Line 822 of July 2006: temp 52, dewPt empty, rh 47, pressure 30.05, wspd 12.0, precip_hrly empty.
    WeatherParseResult r = new KlgaCsvParser().parse("KLGA_hourly_weather_2006_7.csv",
        entry("KLGA_hourly_weather_2006_7.csv"));
    WeatherRecord w = at(r, 1154512260L);
    assertEquals(822, w.line());
    assertEquals(20.0 * 5 / 9, w.tempC(), EPS);
    assertNull(w.dewpointC());
    assertNull(w.precipMm());
    assertEquals(12 * 0.44704, w.windMps(), EPS);
  }

  @Test
  void badLinesAreQuarantinedWithReasons() throws IOException {
    String real = new String(entry("KLGA_hourly_weather_2019_11.csv"), StandardCharsets.UTF_8);
    List<String> lines = real.lines().limit(3).toList(); // header + two real rows
    String good = lines.get(1);
    String csv = String.join("\n",
        lines.get(0),
        good,
        good.replace(",66,11,", ",sixty,11,"), // temp not a number
        good.replace("1572582300", ""), // no time
        "KLGA,observation,1", // truncated line
        "KLGA,\"unclosed,quote",
        lines.get(2)) + "\n";
    WeatherParseResult r = new KlgaCsvParser().parse("KLGA_hourly_weather_2019_11.csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, r.rows().size());
    Map<Long, String> reasons =
        r.quarantined().stream().collect(Collectors.toMap(QuarantinedLine::line, QuarantinedLine::reason));
    assertEquals(Map.of(3L, "non-numeric temp", 4L, KlgaCsvParser.MISSING_TIME,
        5L, KlgaCsvParser.WRONG_COLUMN_COUNT, 6L, KlgaCsvParser.MALFORMED_CSV_LINE), reasons);
  }

  @Test
  void aBodyWithoutTheHeaderIsAnErrorNamingTheFile() {
    WeatherFormatException e = assertThrows(WeatherFormatException.class, () -> new KlgaCsvParser()
        .parse("KLGA_hourly_weather_2019_11.csv", "<html>busy</html>".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("KLGA_hourly_weather_2019_11.csv"), e.getMessage());
  }
}
