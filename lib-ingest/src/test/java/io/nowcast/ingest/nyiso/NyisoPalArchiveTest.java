package io.nowcast.ingest.nyiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory archive reader on a real monthly archive and on damaged copies of it. */
class NyisoPalArchiveTest {
  @TempDir Path tmp;

  @Test
  void readsEveryDailyFileOfARealArchive() throws IOException {
    Path archive = PalTestArchives.real("201911");
    Map<String, String> expected = PalTestArchives.entries(archive);
    List<NyisoPalParseResult> results =
        new NyisoPalArchive().parse(archive.toString(), Files.readAllBytes(archive));
    assertEquals(List.copyOf(expected.keySet()), results.stream().map(NyisoPalParseResult::file).toList());
    for (NyisoPalParseResult r : results) {
      assertEquals(PalTestArchives.dataLines(expected.get(r.file())).size(), r.linesRead(), r.file());
    }
  }

  @Test
  void anyTruncationFailsNamingTheArchive() throws IOException {
    Path archive = PalTestArchives.real("201911");
    byte[] bytes = Files.readAllBytes(archive);
    // The archives have no zip comment, so the end-of-central-directory record is the last 22 bytes and
    // holds the directory's offset at +16. A cut exactly there leaves every entry intact: a plain streaming
    // read would see a complete-looking archive.
    int eocd = bytes.length - 22;
    long centralDirectory = ByteBuffer.wrap(bytes, eocd + 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    long[] cuts = {bytes.length / 2, centralDirectory, centralDirectory + 10, bytes.length - 1};
    for (long length : cuts) {
      Path cut =
          PalTestArchives.truncatedCopy(archive, tmp.resolve(length + "-" + archive.getFileName()), length);
      NyisoPalFormatException e =
          assertThrows(
              NyisoPalFormatException.class,
              () -> new NyisoPalArchive().parse(cut.toString(), Files.readAllBytes(cut)),
              "cut at " + length);
      assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
    }
  }

  @Test
  void anArchiveHoldingAnHtmlPageFailsNamingArchiveAndEntry() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("20191101pal.csv", "<html><body>Service unavailable</body></html>");
    Path zip = PalTestArchives.zip(tmp.resolve("20191101pal_csv.zip"), entries);
    NyisoPalFormatException e =
        assertThrows(
            NyisoPalFormatException.class,
            () -> new NyisoPalArchive().parse(zip.toString(), Files.readAllBytes(zip)));
    assertTrue(e.getMessage().contains(zip.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("20191101pal.csv"), e.getMessage());
  }

  @Test
  void unexpectedEntriesAndNonZipBytesAreErrors() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("readme.txt", "hello");
    Path zip = PalTestArchives.zip(tmp.resolve("odd.zip"), entries);
    assertThrows(
        NyisoPalFormatException.class,
        () -> new NyisoPalArchive().parse(zip.toString(), Files.readAllBytes(zip)));
    byte[] html = "<html>404</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    NyisoPalFormatException e =
        assertThrows(NyisoPalFormatException.class, () -> new NyisoPalArchive().parse("x.zip", html));
    assertTrue(e.getMessage().startsWith("x.zip: "), e.getMessage());
  }
}
