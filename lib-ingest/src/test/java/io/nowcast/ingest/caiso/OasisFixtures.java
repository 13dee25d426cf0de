package io.nowcast.ingest.caiso;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * OASIS SLD_FCST answers written to the published layout (OASIS interface specification, resultformat=6):
 * a zip holding one CSV with the header below, GMT times as {@code yyyy-MM-ddTHH:mm:ss-00:00}, OPR_DT/OPR_HR
 * in Pacific time.
 */
final class OasisFixtures {
  static final String HEADER = "INTERVALSTARTTIME_GMT,INTERVALENDTIME_GMT,OPR_DT,OPR_HR,OPR_INTERVAL,"
      + "MARKET_RUN_ID,TAC_AREA_NAME,LABEL,XML_DATA_ITEM,POS,MW,EXECUTION_TYPE,GROUP";
  static final List<String> AREAS = List.of("PGE-TAC", "SCE-TAC");
  private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'-00:00'", Locale.ROOT);
  private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  private OasisFixtures() {}

  /** The fixture's load for an area and interval start: a value computable by the test too. */
  static double mw(String area, Instant start) {
    return AREAS.indexOf(area) * 10_000 + (start.getEpochSecond() / 300) % 1000 + 0.5;
  }

  /** One CSV line of an RTM 5-minute (RTD) interval. */
  static String rtmLine(String area, Instant start, String mw) {
    ZonedDateTime local = start.atZone(PACIFIC);
    return String.join(",", GMT.format(start.atOffset(ZoneOffset.UTC)),
        GMT.format(start.plusSeconds(300).atOffset(ZoneOffset.UTC)), local.toLocalDate().toString(),
        String.valueOf(local.getHour() + 1), String.valueOf(local.getMinute() / 5 + 1), "RTM", area,
        "5 Minute Forecast", "SYS_FCST_5MIN_MW", "1", mw, "RTD", "1");
  }

  /** A whole RTM answer for UTC days {@code [start, end)}: every 5-minute interval of every area. */
  static String rtmCsv(LocalDate start, LocalDate end, List<String> extraLines) {
    StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
    for (String area : AREAS) {
      for (Instant t = start.atStartOfDay().toInstant(ZoneOffset.UTC);
          t.isBefore(end.atStartOfDay().toInstant(ZoneOffset.UTC)); t = t.plusSeconds(300)) {
        csv.append(rtmLine(area, t, String.valueOf(mw(area, t)))).append("\r\n");
      }
    }
    extraLines.forEach(l -> csv.append(l).append("\r\n"));
    return csv.toString();
  }

  /** A zip holding one file, as SingleZip sends it. */
  static byte[] zip(String name, byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry(name));
      out.write(content);
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] zipCsv(LocalDate start, LocalDate end, List<String> extraLines) {
    String name = start.toString().replace("-", "") + "_" + end.toString().replace("-", "")
        + "_SLD_FCST_RTM_v1.csv";
    return zip(name, rtmCsv(start, end, extraLines).getBytes(StandardCharsets.UTF_8));
  }

  /** OASIS's error document (as it answers a request with no data), zipped as INVALID_REQUEST.xml. */
  static byte[] errorZip() {
    try (InputStream in = OasisFixtures.class.getResourceAsStream("/caiso/INVALID_REQUEST.xml")) {
      return zip("INVALID_REQUEST.xml", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All intervals the fixture publishes for {@code [start, end)}, as expected table rows. */
  static List<String> expectedRows(LocalDate start, LocalDate end) {
    List<String> out = new ArrayList<>();
    for (String area : AREAS) {
      for (Instant t = start.atStartOfDay().toInstant(ZoneOffset.UTC);
          t.isBefore(end.atStartOfDay().toInstant(ZoneOffset.UTC)); t = t.plusSeconds(300)) {
        out.add(area + "|" + t + "|" + mw(area, t));
      }
    }
    return out;
  }
}
