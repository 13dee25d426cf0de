package io.nowcast.ingest.nyiso;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads one monthly {@code YYYYMM01pal_csv.zip} held in memory and parses every daily CSV in it. Plain Java,
 * so it runs unchanged on a Spark executor on the bytes of a {@code binaryFile} row, whatever file system the
 * archive came from.
 *
 * <p>All or nothing: the archive is checked completely before anything is returned, and any damage throws
 * {@link NyisoPalFormatException} naming the archive. Streaming a zip alone would not notice a file cut off
 * between two entries or inside the central directory (it would just see fewer days), so the entries read
 * are also compared with the count in the end-of-central-directory record, and each entry's CRC is checked by
 * {@link ZipInputStream} as it is inflated.
 */
public final class NyisoPalArchive {
  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int EOCD_MIN_LENGTH = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  /** Entry count meaning "see the zip64 record"; monthly archives never need zip64: check skipped. */
  private static final int ZIP64_MARKER = 0xFFFF;

  private final NyisoFeed feed;
  private final NyisoPalCsvParser parser;

  /** A reader of {@code pal} archives. */
  public NyisoPalArchive() {
    this(NyisoFeed.PAL);
  }

  /** A reader of {@code feed}'s archives ({@link NyisoFeed#PAL} or {@link NyisoFeed#PAL_INTEGRATED}). */
  public NyisoPalArchive(NyisoFeed feed) {
    this.feed = feed;
    this.parser = new NyisoPalCsvParser(feed);
  }

  /**
   * Parses every daily CSV in the archive.
   *
   * @param archive the archive's path or URI, used in messages
   * @param zipBytes the whole archive
   * @return one result per daily file, in archive order
   * @throws NyisoPalFormatException if the archive is truncated, corrupt, holds something other than daily
   *     {@code pal} CSVs, or one of them is not a {@code pal} CSV
   */
  public List<NyisoPalParseResult> parse(String archive, byte[] zipBytes) {
    int declaredEntries = declaredEntryCount(archive, zipBytes);
    List<NyisoPalParseResult> results = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
      ZipEntry entry;
      int entries = 0;
      while ((entry = zip.getNextEntry()) != null) {
        entries++;
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        if (feed.dayOf(name).isEmpty()) {
          throw new NyisoPalFormatException(
              archive,
              "unexpected entry '" + name + "' (expected daily files YYYYMMDD" + feed.folder() + ".csv)");
        }
        try {
          results.add(parser.parse(name, new NonClosing(zip)));
        } catch (NyisoPalFormatException e) {
          throw new NyisoPalFormatException(archive, "entry " + e.getMessage(), e);
        }
      }
      if (declaredEntries != ZIP64_MARKER && entries != declaredEntries) {
        throw new NyisoPalFormatException(
            archive,
            "truncated or corrupt zip: central directory lists " + declaredEntries + " entries but "
                + entries + " could be read");
      }
    } catch (IOException e) {
      throw new NyisoPalFormatException(archive, "truncated or corrupt zip: " + e, e);
    }
    if (results.isEmpty()) {
      throw new NyisoPalFormatException(archive, "archive holds no daily files");
    }
    return results;
  }

  /** The entry count of the end-of-central-directory record (within the last 64 KiB + 22 bytes). */
  private static int declaredEntryCount(String archive, byte[] b) {
    int lowest = Math.max(0, b.length - EOCD_MIN_LENGTH - MAX_COMMENT);
    for (int i = b.length - EOCD_MIN_LENGTH; i >= lowest; i--) {
      if (le32(b, i) == EOCD_SIGNATURE && i + EOCD_MIN_LENGTH + le16(b, i + 20) == b.length) {
        return le16(b, i + 10);
      }
    }
    throw new NyisoPalFormatException(
        archive,
        "truncated or not a zip archive: no end-of-central-directory record (" + b.length + " bytes)");
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static int le32(byte[] b, int at) {
    return le16(b, at) | le16(b, at + 2) << 16;
  }

  /** Lets the CSV parser read one entry without closing the whole zip stream. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
