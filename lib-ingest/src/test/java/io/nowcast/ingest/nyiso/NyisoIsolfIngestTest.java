package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawIsoForecastTable;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NYISO's own load forecast ({@code isolf}) from the real archives: DST days in both directions, the
 * contract's columns, quarantine and whole-file errors, and the HTTP source's incremental runs.
 */
class NyisoIsolfIngestTest {
  private final SparkSession spark = SparkTestSession.get();
  @TempDir Path tmp;

  private static Map<String, String> realDays(String yyyymm, String... days) {
    Map<String, String> all =
        PalTestArchives.entries(SharedData.require("nyiso/isolf/" + yyyymm + "01isolf_csv.zip"));
    Map<String, String> out = new LinkedHashMap<>();
    for (String d : days) {
      String name = yyyymm + d + "isolf.csv";
      assertTrue(all.containsKey(name), name);
      out.put(name, all.get(name));
    }
    return out;
  }

  private Dataset<Row> table(String root) {
    return spark.read().parquet(root + "/" + RawIsoForecastTable.PATH);
  }

  /** Lines of {@code csv} whose time stamp is {@code stamp}, split on commas (values are plain numbers). */
  private static List<String[]> linesAt(String csv, String stamp) {
    List<String[]> out = new ArrayList<>();
    for (String line : PalTestArchives.dataLines(csv)) {
      if (line.startsWith("\"" + stamp + "\"")) {
        out.add(line.split(","));
      }
    }
    return out;
  }

  private double value(String root, String region, String issueDay, String targetUtc) {
    List<Row> rows = table(root)
        .filter(col(RawIsoForecastTable.REGION).equalTo(region)
            .and(col(RawIsoForecastTable.ISSUE_DATE).equalTo(java.sql.Date.valueOf(issueDay)))
            .and(col(RawIsoForecastTable.TARGET_TS).equalTo(Timestamp.from(Instant.parse(targetUtc)))))
        .select(RawIsoForecastTable.FORECAST_MW).collectAsList();
    assertEquals(1, rows.size(), region + " " + issueDay + " " + targetUtc);
    return rows.get(0).getDouble(0);
  }

  @Test
  void realDaysAroundBothDstChangesAreHourlyUniqueAndInUtc() throws Exception {
    Map<String, String> november = realDays("201911", "01", "02", "03");
    Map<String, String> march = realDays("201903", "09", "10");
    Path zips = Files.createDirectories(tmp.resolve("zips"));
    String nov = PalTestArchives.uri(PalTestArchives.zip(zips.resolve("20191101isolf_csv.zip"), november));
    String mar = PalTestArchives.uri(PalTestArchives.zip(zips.resolve("20190301isolf_csv.zip"), march));
    String root = tmp.resolve("data").toUri().toString();

    IngestReport report = new NyisoIsolfIngest().run(spark, List.of(nov, mar), root);

    long expected = 0;
    for (Map<String, String> month : List.of(november, march)) {
      for (String csv : month.values()) {
        expected += PalTestArchives.dataLines(csv).size() * 12L;
      }
    }
    assertEquals(5, report.files().size());
    assertEquals(expected, report.totals().rowsWritten());
    assertEquals(0, report.totals().quarantined());
    assertTrue(report.files().stream().allMatch(FileReport::balanced));
    assertEquals(expected, table(root).count());

    Set<String> regions = new TreeSet<>(RegionMap.NYISO_ZONES);
    regions.add("NYISO");
    Set<String> found = new TreeSet<>();
    table(root).select(RawIsoForecastTable.REGION).distinct().collectAsList().forEach(r -> found.add(r.getString(0)));
    assertEquals(regions, found);

    // Per region and issue day the targets are consecutive UTC hours: no duplicate, no hole, across DST.
    List<Row> spans = table(root)
        .groupBy(RawIsoForecastTable.REGION, RawIsoForecastTable.ISSUE_DATE)
        .agg(count(RawIsoForecastTable.TARGET_TS).as("n"),
            countDistinct(RawIsoForecastTable.TARGET_TS).as("distinct"),
            min(unix_timestamp(col(RawIsoForecastTable.TARGET_TS))).as("first"),
            max(unix_timestamp(col(RawIsoForecastTable.TARGET_TS))).as("last"))
        .collectAsList();
    assertEquals(5 * 12, spans.size());
    for (Row s : spans) {
      long n = s.getLong(2);
      assertEquals(n, s.getLong(3), "duplicate targets in " + s);
      assertEquals(n, (s.getLong(5) - s.getLong(4)) / 3600 + 1, "hole in " + s);
    }

    // Autumn: the two "11/03/2019 01:00" lines are 01:00 EDT (05:00 UTC), then 01:00 EST (06:00 UTC).
    List<String[]> repeated = linesAt(november.get("20191103isolf.csv"), "11/03/2019 01:00");
    assertEquals(2, repeated.size());
    assertEquals(Double.parseDouble(repeated.get(0)[5]), value(root, "HUD VL", "2019-11-03", "2019-11-03T05:00:00Z"));
    assertEquals(Double.parseDouble(repeated.get(1)[5]), value(root, "HUD VL", "2019-11-03", "2019-11-03T06:00:00Z"));
    // Spring: 01:00 EST is 06:00 UTC and the next line, 03:00 EDT, is 07:00 UTC.
    String[] one = linesAt(march.get("20190310isolf.csv"), "03/10/2019 01:00").get(0);
    String[] three = linesAt(march.get("20190310isolf.csv"), "03/10/2019 03:00").get(0);
    assertEquals(Double.parseDouble(one[12]), value(root, "NYISO", "2019-03-10", "2019-03-10T06:00:00Z"));
    assertEquals(Double.parseDouble(three[12]), value(root, "NYISO", "2019-03-10", "2019-03-10T07:00:00Z"));
    // A forecast issued earlier for the same hour is its own row (lead of two days).
    String[] earlier = linesAt(november.get("20191101isolf.csv"), "11/03/2019 01:00").get(1);
    assertEquals(Double.parseDouble(earlier[9]), value(root, "N.Y.C.", "2019-11-01", "2019-11-03T06:00:00Z"));

    Set<String> months = new TreeSet<>();
    table(root).select(RawIsoForecastTable.MONTH).distinct().collectAsList().forEach(r -> months.add(r.getString(0)));
    assertEquals(Set.of("2019-03", "2019-11"), months);
  }

  @Test
  void zoneColumnsMapToTheRegionsOfTheNyisoRegionConfig() {
    Path yaml = Path.of(System.getProperty("nowcast.home", ".."), "conf", "regions", "nyiso.yaml");
    Set<String> configured = new TreeSet<>();
    io.nowcast.ingest.region.RegionConfigLoader.load(yaml).all().forEach(r -> configured.add(r.name()));
    assertEquals(configured, new TreeSet<>(IsolfZones.REGION_BY_COLUMN.values()));
  }

  @Test
  void badLinesAreQuarantinedWithReasons() throws Exception {
    String header = "\"Time Stamp\",\"Capitl\",\"NYISO\"\n";
    String body = header
        + "\"11/03/2019 00:00\",1007,13373\n"
        + "\"11/03/2019 01:00\",975,12791\n"
        + "\"11/03/2019 01:00\",975,12791\n"
        + "\"11/03/2019 01:00\",975,12791\n"  // a third copy
        + "\"11/03/2019 02:00\",abc,12506\n"
        + "\"11/03/2019 03:00\",-5,12385\n"
        + "\"11/03/2019 04:00\",,12385\n"
        + "\"11/03/2019 05:00\",962\n"
        + "\"11/03/2019 06:00\",962,12385\n"
        + "\"11/03/2019 06:00\",962,12385\n";   // not an ambiguous hour
    IsolfParseResult r = new IsolfCsvParser().parse("20191103isolf.csv",
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    assertEquals(LocalDate.of(2019, 11, 3), r.issueDate());
    assertEquals(2 * 4, r.rows().size(), "lines 00:00, both 01:00 and 06:00, two zones each");
    List<String> reasons = r.quarantined().stream().map(QuarantinedLine::reason).toList();
    assertEquals(List.of(IsolfCsvParser.REPEATED_TIME_STAMP, IsolfCsvParser.NON_NUMERIC_FORECAST,
        IsolfCsvParser.NEGATIVE_FORECAST, IsolfCsvParser.EMPTY_FORECAST, IsolfCsvParser.WRONG_COLUMN_COUNT,
        IsolfCsvParser.REPEATED_TIME_STAMP), reasons);
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 11L), r.quarantined().stream().map(QuarantinedLine::line).toList());

    String spring = header + "\"03/10/2019 02:00\",1,2\n";
    IsolfParseResult gap = new IsolfCsvParser().parse("20190310isolf.csv",
        new ByteArrayInputStream(spring.getBytes(StandardCharsets.UTF_8)));
    assertEquals(IsolfCsvParser.TIME_NOT_IN_NEW_YORK, gap.quarantined().get(0).reason());
  }

  @Test
  void unknownZoneColumnOrHtmlFailsNamingTheFileAndWritesNothing() throws Exception {
    String unknown = "\"Time Stamp\",\"Capitl\",\"Atlantis\"\n\"11/03/2019 00:00\",1,2\n";
    Path zip = PalTestArchives.zip(Files.createDirectories(tmp.resolve("bad")).resolve("20191101isolf_csv.zip"),
        Map.of("20191103isolf.csv", unknown));
    String root = tmp.resolve("data").toUri().toString();
    NyisoPalFormatException e = assertThrows(NyisoPalFormatException.class,
        () -> new NyisoIsolfIngest().run(spark, List.of(PalTestArchives.uri(zip)), root));
    assertTrue(e.getMessage().contains("20191103isolf.csv") && e.getMessage().contains("Atlantis"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("data").resolve(RawIsoForecastTable.PATH)));

    NyisoPalFormatException html = assertThrows(NyisoPalFormatException.class, () -> new IsolfCsvParser()
        .parse("20191103isolf.csv", new ByteArrayInputStream("<html>busy</html>".getBytes(StandardCharsets.UTF_8))));
    assertTrue(html.getMessage().contains("HTML"), html.getMessage());
  }

  @Test
  void httpRunsFetchOnlyNewDaysKeepOtherIssueDaysAndEqualTheArchiveIngest() throws Exception {
    Map<String, String> days = realDays("201911", "01", "02", "03", "04");
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      days.forEach((name, csv) -> server.serve("/public/csv/isolf/" + name, csv.getBytes(StandardCharsets.UTF_8)));
      server.failNext("/public/csv/isolf/20191101isolf.csv", LoopbackHttpServer.Fault.status(500));
      HttpSettings fast = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
          Duration.ofMillis(100), Duration.ZERO, "test");
      String root = tmp.resolve("http").toUri().toString();
      LocalDate nov1 = LocalDate.of(2019, 11, 1);
      NyisoHttpSource source = new NyisoHttpSource(NyisoFeed.ISOLF, new HttpFetcher(fast),
          server.baseUri().resolve("/public/csv"), Clock.systemUTC());

      HttpIngestOutcome first = source.run(spark, nov1, nov1.plusDays(1), root);
      assertEquals(2, first.fetched());
      assertEquals(1, first.report().retries(), "the 500 was retried and counted in the report");
      assertTrue(first.report().toJson().contains("\"retries\":1"));
      int before = server.requests().size();
      HttpIngestOutcome second = source.run(spark, nov1, nov1.plusDays(3), root);
      assertEquals(List.of("/public/csv/isolf/20191103isolf.csv", "/public/csv/isolf/20191104isolf.csv"),
          server.requests().subList(before, server.requests().size()));
      assertEquals(2, second.alreadyLanded());

      // Re-fetching one day keeps the other issue days of the month partition as they were.
      HttpIngestOutcome third = source.run(spark, nov1.plusDays(2), nov1.plusDays(2), root);
      long otherDays = days.entrySet().stream().filter(e -> !e.getKey().equals("20191103isolf.csv"))
          .mapToLong(e -> PalTestArchives.dataLines(e.getValue()).size() * 12L).sum();
      assertEquals(otherDays, third.report().existingRowsKept());

      Path zip = PalTestArchives.zip(Files.createDirectories(tmp.resolve("z")).resolve("20191101isolf_csv.zip"), days);
      String archiveRoot = tmp.resolve("archive").toUri().toString();
      new NyisoIsolfIngest().run(spark, List.of(PalTestArchives.uri(zip)), archiveRoot);
      Dataset<Row> viaHttp = table(root).drop(RawIsoForecastTable.INGESTED_AT);
      Dataset<Row> viaArchive = table(archiveRoot).drop(RawIsoForecastTable.INGESTED_AT);
      assertEquals(viaArchive.count(), viaHttp.count());
      assertEquals(0, viaArchive.exceptAll(viaHttp).count());
      assertEquals(0, viaHttp.exceptAll(viaArchive).count());
    }
  }
}
