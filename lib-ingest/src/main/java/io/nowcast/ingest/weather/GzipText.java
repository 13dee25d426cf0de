package io.nowcast.ingest.weather;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Decompresses a whole gzip file into lines before any of it is parsed, so a truncated or corrupt download
 * fails the file (naming it) instead of yielding the rows before the damage.
 */
final class GzipText {
  private GzipText() {}

  static List<String> lines(String file, byte[] content) {
    if (content == null || content.length == 0) {
      throw new WeatherFormatException(file, "empty body, expected gzip", null);
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().toList();
    } catch (EOFException e) {
      throw new WeatherFormatException(file, "truncated gzip (unexpected end of data)", e);
    } catch (ZipException e) {
      throw new WeatherFormatException(
          file, "not a gzip file (" + e.getMessage() + "; starts with '" + snippet(content) + "')", e);
    } catch (IOException e) {
      throw new WeatherFormatException(file, "unreadable gzip: " + e.getMessage(), e);
    }
  }

  /** The start of a body that is not gzip, e.g. an HTML error page, for the error message. */
  private static String snippet(byte[] content) {
    String text = new String(content, 0, Math.min(40, content.length), StandardCharsets.ISO_8859_1);
    return text.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
