package io.nowcast.ingest.weather;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Source files built in memory, byte for byte in the published layouts. */
final class WeatherFixtures {
  private WeatherFixtures() {}

  /**
   * One ISD-Lite record line per the format document: year 1-4, month 6-7, day 9-10, hour 12-13, then eight
   * right-aligned 6-character integer fields (temperature, dew point, pressure, wind direction, wind speed,
   * sky cover, 1-h and 6-h precipitation, all scaled ×10 where the document says so).
   */
  static String isdLine(int year, int month, int day, int hour, int temp10, int dew10, int slp10, int dir,
      int speed10, int sky, int precip1h10, int precip6h10) {
    return String.format("%4d %02d %02d %02d%6d%6d%6d%6d%6d%6d%6d%6d", year, month, day, hour, temp10, dew10,
        slp10, dir, speed10, sky, precip1h10, precip6h10);
  }

  static byte[] gzip(List<String> lines) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The first {@code fraction} of a file, as a download cut short would leave it. */
  static byte[] cut(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }
}
