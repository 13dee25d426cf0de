package io.nowcast.ingest.weather;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Executor side: one {@code binaryFile} row (a zip archive's path and bytes) to one {@link WeatherFiles} row
 * per {@code .csv} entry, so the entries can be spread over the cores before parsing. A zip that cannot be
 * read to its end fails with {@link WeatherFormatException} naming it (before any entry is emitted).
 */
final class ZipEntriesFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  static final String BINARY_PATH = "path";
  static final String BINARY_CONTENT = "content";

  @Override
  public Iterator<Row> call(Row archive) {
    String path = archive.getAs(BINARY_PATH);
    byte[] bytes = archive.getAs(BINARY_CONTENT);
    List<Row> entries = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (!e.isDirectory() && e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
          String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
          entries.add(RowFactory.create(path, name, zip.readAllBytes()));
        }
      }
    } catch (IOException e) {
      throw new WeatherFormatException(path, "unreadable zip archive: " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      // A zip with no CSV (or bytes that are not a zip: ZipInputStream then just finds no entry).
      throw new WeatherFormatException(path, "no .csv entry found; not the expected zip archive", null);
    }
    return entries.iterator();
  }
}
