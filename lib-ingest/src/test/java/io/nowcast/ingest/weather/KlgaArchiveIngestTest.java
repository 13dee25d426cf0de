package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole LaGuardia archive through Spark into the raw weather table. Expected counts are computed here
 * independently of the parser: data lines and distinct {@code valid_time_gmt} values, read with plain string
 * splitting (the archive has no quoted commas before that column).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KlgaArchiveIngestTest {
  private SparkSession spark;
  private Path zip;
  private String root;
  private IngestReport report;
  private long dataLines;
  private long distinctTimes;

  @BeforeAll
  void ingestTheWholeArchive(@TempDir Path dir) throws IOException {
    zip = SharedData.require(KlgaCsvParserTest.ARCHIVE);
    spark = SparkTestSession.get();
    countIndependently();
    root = dir.resolve("data").toUri().toString();
    report = KlgaArchiveIngest.run(spark, zip.toUri().toString(), root);
    FileReport t = report.totals();
    System.out.printf("KLGA archive: %d rows written in %.1f s (%.0f rows/s)%n", t.rowsWritten(),
        report.elapsed().toMillis() / 1000.0, t.rowsParsed() / (report.elapsed().toMillis() / 1000.0));
  }

  private void countIndependently() throws IOException {
    Set<String> times = new HashSet<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8))) {
          int column = List.of(in.readLine().split(",", -1)).indexOf("valid_time_gmt");
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
              dataLines++;
              times.add(line.split(",", -1)[column]);
            }
          }
        }
      }
    }
    distinctTimes = times.size();
  }

  private Dataset<Row> table() {
    return spark.read().parquet(root + "/" + RawWeatherTable.PATH);
  }

  @Test
  void everyLineIsAccountedFor() {
    FileReport t = report.totals();
    assertEquals(dataLines, t.rowsParsed());
    assertEquals(0, t.quarantined());
    assertEquals(dataLines - distinctTimes, t.duplicatesCollapsed());
    assertEquals(distinctTimes, t.rowsWritten());
    assertTrue(report.files().stream().allMatch(FileReport::balanced));
    assertEquals(182, report.files().size()); // monthly entries 2005-02 … 2020-03
  }

  @Test
  void tableHasOneRowPerStationAndTime() {
    Dataset<Row> t = table();
    assertEquals(distinctTimes, t.count());
    assertEquals(distinctTimes, t.select(RawWeatherTable.STATION, RawWeatherTable.TS).distinct().count());
    assertEquals(List.of("KLGA"), t.select(RawWeatherTable.STATION).distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(KlgaArchiveIngest.SOURCE, t.select(RawWeatherTable.SOURCE).distinct().first().getString(0));
  }

  @Test
  void duplicateAcrossMonthFilesKeepsTheFullerThenLaterFileRow() {
    // 1154512260 (2006-08-02 09:51 UTC) is in the July file (line 822, dewPt empty, temp 52 °F) and the
    // August file (line 32, all of temp 86 °F, dewPt 74, rh 67, pressure 29.82, wspd 8): August is fuller.
    // 1154508660 is in both with equally many values: the later file name (August, temp 87 °F) wins.
    Row fuller = table().filter(col(RawWeatherTable.TS).equalTo(
        Timestamp.from(Instant.ofEpochSecond(1154512260L)))).first();
    assertEquals((86 - 32) * 5.0 / 9, fuller.<Double>getAs(RawWeatherTable.TEMP_C), 1e-9);
    Row tie = table().filter(col(RawWeatherTable.TS).equalTo(
        Timestamp.from(Instant.ofEpochSecond(1154508660L)))).first();
    assertEquals((87 - 32) * 5.0 / 9, tie.<Double>getAs(RawWeatherTable.TEMP_C), 1e-9);
  }

  @Test
  void partitionsAreUtcYears() {
    List<Row> perYear = table().groupBy(RawWeatherTable.YEAR).count().orderBy(RawWeatherTable.YEAR)
        .collectAsList();
    assertEquals(2005, perYear.get(0).getInt(0));
    assertEquals(2020, perYear.get(perYear.size() - 1).getInt(0));
    long mismatched = table().filter(org.apache.spark.sql.functions.year(col(RawWeatherTable.TS))
        .notEqual(col(RawWeatherTable.YEAR))).count();
    assertEquals(0, mismatched);
  }

  @Test
  void aDamagedArchiveFailsNamingItAndWritesNothing(@TempDir Path dir) throws IOException {
    byte[] whole = Files.readAllBytes(zip);
    Path cut = dir.resolve("klga_cut.zip");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
    String out = dir.resolve("out").toUri().toString();
    WeatherFormatException e = assertThrows(WeatherFormatException.class,
        () -> KlgaArchiveIngest.run(spark, cut.toUri().toString(), out));
    assertTrue(e.getMessage().contains("klga_cut.zip"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("out")));
  }
}
