package io.nowcast.ingest.caiso;

import io.nowcast.ingest.source.ZipEntries;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Opens the body of an OASIS {@code SingleZip} answer: a zip holding exactly one file, the CSV
 * ({@code resultformat=6}) or the XML report, or OASIS's XML error document (sent with HTTP 200). Plain Java,
 * no Spark.
 */
public final class OasisAnswer {
  private OasisAnswer() {}

  /**
   * Parses an answer.
   *
   * @param request the request URL (or landed file), named in every error
   * @throws OasisErrorException if OASIS answered with an error document
   * @throws OasisFormatException if the body is not a whole zip of one CSV or XML report
   */
  public static OasisParseResult parse(String request, byte[] body) {
    Map<String, byte[]> entries;
    try {
      entries = ZipEntries.read(body);
    } catch (ZipException e) {
      throw new OasisFormatException(request, e.getMessage(), e);
    }
    if (entries.size() != 1) {
      throw new OasisFormatException(request, "expected one file in the zip, found " + entries.keySet());
    }
    Map.Entry<String, byte[]> entry = entries.entrySet().iterator().next();
    String name = entry.getKey();
    byte[] bytes = entry.getValue();
    if (name.toLowerCase(Locale.ROOT).endsWith(".xml") || startsWithMarkup(bytes)) {
      return new OasisXmlParser().parse(request, name, bytes);
    }
    return new OasisCsvParser().parse(request, name, new String(bytes, StandardCharsets.UTF_8));
  }

  private static boolean startsWithMarkup(byte[] bytes) {
    for (byte b : bytes) {
      if (!Character.isWhitespace(b) && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
        return b == '<';
      }
    }
    return false;
  }
}
