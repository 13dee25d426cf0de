package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.minute;
import static org.apache.spark.sql.functions.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive ingest end to end on real NYISO archives and a real local Spark session: DST days, the report's
 * accounting, damaged archives. One shared ingest of the two DST months backs most tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NyisoPalArchiveIngestTest {
  /** The 11 NYISO load zones as published (data README). */
  private static final Set<String> ZONES =
      Set.of(
          "CAPITL", "CENTRL", "DUNWOD", "GENESE", "HUD VL", "LONGIL", "MHK VL", "MILLWD", "N.Y.C.", "NORTH",
          "WEST");

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Duration STEP = Duration.ofMinutes(5);

  private Path shared;
  private SparkSession spark;
  private Path november;
  private Path march;
  private String root;
  private IngestReport report;

  @BeforeAll
  void ingestTheDstMonths(@TempDir Path dir) {
    shared = dir;
    spark = SparkTestSession.get();
    november = PalTestArchives.real("201911");
    march = PalTestArchives.real("201903");
    root = shared.resolve("data").toUri().toString();
    report =
        new NyisoPalArchiveIngest()
            .run(spark, List.of(PalTestArchives.uri(november), PalTestArchives.uri(march)), root);
    System.out.println(report.toTable());
  }

  private static Column between(Instant from, Instant to) {
    return col(RawLoadTable.TS)
        .geq(Timestamp.from(from))
        .and(col(RawLoadTable.TS).lt(Timestamp.from(to)));
  }

  private Dataset<Row> table(String dataRoot) {
    return spark.read().parquet(dataRoot + "/" + RawLoadTable.PATH);
  }

  @Test
  void autumnDstDayHasEveryFiveMinuteInstantOnceForEveryZone() {
    assertWholeLocalDay(LocalDate.of(2019, 11, 3), 300);
  }

  @Test
  void springDstDayHasEveryFiveMinuteInstantOnceForEveryZone() {
    assertWholeLocalDay(LocalDate.of(2019, 3, 10), 276);
  }

  /** Every zone has exactly the 5-minute UTC instants of the local day: none missing, none twice. */
  private void assertWholeLocalDay(LocalDate day, int binsOfThatDay) {
    Instant start = day.atStartOfDay(NEW_YORK).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(NEW_YORK).toInstant();
    List<Instant> expected = new ArrayList<>();
    for (Instant t = start; t.isBefore(end); t = t.plus(STEP)) {
      expected.add(t);
    }
    // 25 h and 23 h: the DST days' length is what makes these counts, not the data.
    assertEquals(binsOfThatDay, expected.size());

    Map<String, List<Instant>> byZone = new HashMap<>();
    for (Row r :
        table(root)
            .filter(between(start, end))
            .select(RawLoadTable.REGION, RawLoadTable.TS)
            .collectAsList()) {
      byZone.computeIfAbsent(r.getString(0), z -> new ArrayList<>()).add(r.getTimestamp(1).toInstant());
    }
    assertEquals(ZONES, byZone.keySet());
    for (Map.Entry<String, List<Instant>> zone : byZone.entrySet()) {
      List<Instant> got = new ArrayList<>(zone.getValue());
      got.sort(null);
      assertEquals(expected, got, day + " " + zone.getKey());
    }
  }

  @Test
  void autumnRepeatedHourMapsToTwoDistinctUtcHours() {
    // Independently of the parser: the raw 01:xx lines of 2019-11-03 with their Time Zone column.
    String csv = PalTestArchives.entries(november).get("20191103pal.csv");
    DateTimeFormatter stamp = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
    Map<String, Double> expectedLoad = new HashMap<>();
    Set<Integer> utcHours = new TreeSet<>();
    for (String line : PalTestArchives.dataLines(csv)) {
      String[] f = line.replace("\"", "").split(",");
      LocalDateTime local = LocalDateTime.parse(f[0], stamp);
      if (local.getHour() != 1 || local.getMinute() % 5 != 0 || local.getSecond() != 0) {
        continue;
      }
      Instant utc = local.toInstant(ZoneOffset.ofHours(f[1].equals("EDT") ? -4 : -5));
      utcHours.add(utc.atZone(ZoneOffset.UTC).getHour());
      expectedLoad.put(f[2] + "@" + utc, Double.valueOf(f[4]));
    }
    assertEquals(Set.of(5, 6), utcHours, "01:00-01:55 EDT is 05:xx UTC, 01:00-01:55 EST is 06:xx UTC");

    Instant from = Instant.parse("2019-11-03T05:00:00Z");
    Instant to = Instant.parse("2019-11-03T07:00:00Z");
    Map<String, Double> written = new HashMap<>();
    table(root)
        .filter(between(from, to))
        .collectAsList()
        .forEach(
            r ->
                written.put(
                    r.getAs(RawLoadTable.REGION) + "@" + r.<Timestamp>getAs(RawLoadTable.TS).toInstant(),
                    r.getAs(RawLoadTable.LOAD_MW)));
    assertEquals(2 * 12 * ZONES.size(), written.size());
    // Both hours hold their own readings: the EDT hour was not overwritten by the EST one.
    expectedLoad.forEach((key, load) -> assertEquals(load, written.get(key), key));
  }

  @Test
  void reportAccountsForEveryRow() throws IOException {
    FileReport total = report.totals();
    assertEquals(2, report.archivesRead());
    assertEquals(0, report.existingRowsKept());
    long written = table(root).count();
    assertEquals(written, total.rowsWritten());
    assertEquals(
        total.rowsParsed(),
        total.rowsWritten()
            + total.duplicatesCollapsed()
            + total.supersededByExisting()
            + total.quarantined());
    report.files().forEach(f -> assertTrue(f.balanced(), f.toString()));

    // Files, lines and off-grid stamps counted independently from the zips.
    long files = 0;
    long lines = 0;
    long offGrid = 0;
    for (Path archive : List.of(november, march)) {
      for (String csv : PalTestArchives.entries(archive).values()) {
        files++;
        for (String line : PalTestArchives.dataLines(csv)) {
          lines++;
          String time = line.substring(12, 20); // "MM/dd/yyyy HH:mm:ss" inside quotes
          if (!time.endsWith(":00") || (time.charAt(4) - '0') % 5 != 0) {
            offGrid++;
          }
        }
      }
    }
    assertEquals(files, report.files().size());
    assertEquals(lines, total.rowsParsed());
    assertEquals(offGrid, total.offGridSnapped());
    assertTrue(total.duplicatesCollapsed() > 0, "these months have several stamps in some 5-minute bins");
    assertEquals(
        total.quarantined() > 0,
        Files.exists(shared.resolve("data/quarantine/" + NyisoPalArchiveIngest.SOURCE)));

    long nullLoads = table(root).filter(col(RawLoadTable.LOAD_MW).isNull()).count();
    assertTrue(nullLoads <= total.emptyLoadRows());

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals(total.rowsWritten(), json.get("totals").get("rows_written").asLong());
    assertEquals(report.files().size(), json.get("files").size());
    assertTrue(report.toTable().contains("TOTAL"));
  }

  @Test
  void writesTheRawLoadContract() {
    Dataset<Row> t = table(root);
    assertEquals(Set.of(RawLoadTable.SCHEMA.fieldNames()), Set.of(t.columns()));
    assertEquals(1, t.select(RawLoadTable.INGESTED_AT).distinct().count(), "one ingested_at per run");
    assertEquals(
        0,
        t.filter(
                col(RawLoadTable.SOURCE).notEqual(NyisoPalArchiveIngest.SOURCE)
                    .or(col(RawLoadTable.INTERVAL_MIN).notEqual(5))
                    .or(second(col(RawLoadTable.TS)).notEqual(0))
                    .or(minute(col(RawLoadTable.TS)).mod(5).notEqual(0)))
            .count());
    assertEquals(
        t.count(),
        t.select(RawLoadTable.REGION, RawLoadTable.TS).distinct().count(),
        "one row per region and ts");
  }

  @Test
  void truncatedArchiveFailsNamingItAndWritesNothing(@TempDir Path tmp) throws IOException {
    Path cut =
        PalTestArchives.truncatedCopy(
            november, tmp.resolve("in/" + november.getFileName()), Files.size(november) / 2);
    String out = tmp.resolve("out").toUri().toString();
    NyisoPalFormatException e =
        assertThrows(
            NyisoPalFormatException.class,
            () ->
                new NyisoPalArchiveIngest()
                    .run(spark, List.of(PalTestArchives.uri(march), PalTestArchives.uri(cut)), out));
    assertTrue(e.getMessage().contains(cut.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written, not even the good archive's rows");
  }
}
