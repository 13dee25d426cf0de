package io.nowcast.ingest.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a whole zip held in memory, all or nothing. Streaming a zip alone does not notice a body cut off
 * between two entries or inside the central directory (it just sees fewer entries), so the entries read are
 * compared with the count of the end-of-central-directory record, and each entry's CRC is checked by
 * {@link ZipInputStream} as it is inflated. An HTML page or any other non-zip body has no such record.
 */
public final class ZipEntries {
  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int EOCD_MIN_LENGTH = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  /** Entry count meaning "see the zip64 record": the count check is skipped. */
  private static final int ZIP64_MARKER = 0xFFFF;

  private ZipEntries() {}

  /**
   * The file entries, name to bytes, in zip order.
   *
   * @throws ZipException if the bytes are not a whole zip
   */
  public static Map<String, byte[]> read(byte[] zip) throws ZipException {
    int declared = declaredEntryCount(zip);
    Map<String, byte[]> out = new LinkedHashMap<>();
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries++;
        if (!e.isDirectory()) {
          out.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (ZipException e) {
      throw e;
    } catch (IOException e) {
      throw new ZipException("truncated or corrupt zip: " + e);
    }
    if (declared != ZIP64_MARKER && entries != declared) {
      throw new ZipException("truncated or corrupt zip: central directory lists " + declared
          + " entries but " + entries + " could be read");
    }
    return out;
  }

  private static int declaredEntryCount(byte[] b) throws ZipException {
    int lowest = Math.max(0, b.length - EOCD_MIN_LENGTH - MAX_COMMENT);
    for (int i = b.length - EOCD_MIN_LENGTH; i >= lowest; i--) {
      if (le32(b, i) == EOCD_SIGNATURE && i + EOCD_MIN_LENGTH + le16(b, i + 20) == b.length) {
        return le16(b, i + 10);
      }
    }
    throw new ZipException("truncated or not a zip: no end-of-central-directory record (" + b.length
        + " bytes" + (looksLikeHtml(b) ? ", body looks like HTML" : "") + ")");
  }

  private static boolean looksLikeHtml(byte[] b) {
    String head = new String(b, 0, Math.min(b.length, 256), java.nio.charset.StandardCharsets.ISO_8859_1)
        .stripLeading().toLowerCase(java.util.Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html");
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static int le32(byte[] b, int at) {
    return le16(b, at) | le16(b, at + 2) << 16;
  }
}
