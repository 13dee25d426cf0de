package io.nowcast.ingest.nyiso;

import io.nowcast.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Test helpers around the real NYISO pal archives in the shared data folder. */
final class PalTestArchives {
  private PalTestArchives() {}

  /** The real monthly archive {@code YYYYMM01pal_csv.zip}; skips the test when the data is absent. */
  static Path real(String yyyymm) {
    return SharedData.require("nyiso/pal/" + yyyymm + "01pal_csv.zip");
  }

  /** The archive's path as a {@code file:} URI, the way a job is given it. */
  static String uri(Path archive) {
    return archive.toUri().toString();
  }

  /** Every entry of an archive as text, read independently of the code under test. */
  static Map<String, String> entries(Path archive) {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        out.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Data lines of a daily CSV (header and blank lines dropped). */
  static List<String> dataLines(String csv) {
    List<String> lines = new ArrayList<>(csv.lines().filter(l -> !l.isBlank()).toList());
    lines.remove(0);
    return lines;
  }

  /** Writes a zip with the given entries (name to text). */
  static Path zip(Path target, Map<String, String> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return target;
  }

  /** Writes the first {@code length} bytes of {@code source} to {@code target}. */
  static Path truncatedCopy(Path source, Path target, long length) throws IOException {
    byte[] bytes = Files.readAllBytes(source);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.write(target, Arrays.copyOf(bytes, (int) length));
    return target;
  }
}
