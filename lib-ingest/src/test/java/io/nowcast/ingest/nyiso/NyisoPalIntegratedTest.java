package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.http.HttpFetcher;
import io.nowcast.ingest.http.HttpSettings;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.source.HttpIngestOutcome;
import io.nowcast.testing.LoopbackHttpServer;
import io.nowcast.testing.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NYISO {@code palIntegrated} (hourly integrated actual load): fixtures written byte for byte in NYISO's format
 * (the shared data has none), served over loopback HTTP with a fault, and the same files as a monthly archive.
 * The values are the hourly means of the real 5-minute {@code pal} files of the same days, so they are
 * realistic; the autumn DST day has its two 01:00 hours told apart by the Time Zone column.
 */
class NyisoPalIntegratedTest {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT);
  private final SparkSession spark = SparkTestSession.get();
  @TempDir Path tmp;

  /** Key of an hourly value: zone and the hour's UTC start. */
  private record Hour(String zone, Instant start) {}

  /**
   * A palIntegrated CSV for a real pal day: header, then per local hour and zone the mean of that hour's
   * 5-minute loads, stamps with their EDT/EST as in pal, CRLF line ends, PTID kept. Expected values go to
   * {@code expected}.
   */
  private static String integratedDay(String palCsv, Map<Hour, Double> expected) {
    Map<String, double[]> sums = new TreeMap<>(); // "utcEpochHour|zone|tz|ptid" -> sum, n
    for (String line : PalTestArchives.dataLines(palCsv)) {
      String[] f = line.replace("\"", "").split(",");
      if (f.length < 5 || f[4].isBlank()) {
        continue;
      }
      LocalDateTime local = LocalDateTime.parse(f[0], STAMP);
      ZoneOffset offset = f[1].equals("EDT") ? ZoneOffset.ofHours(-4) : ZoneOffset.ofHours(-5);
      long hour = local.toEpochSecond(offset) / 3600;
      double[] s = sums.computeIfAbsent(hour + "|" + f[2] + "|" + f[1] + "|" + f[3], k -> new double[2]);
      s[0] += Double.parseDouble(f[4]);
      s[1]++;
    }
    StringBuilder out = new StringBuilder("\"Time Stamp\",\"Time Zone\",\"Name\",\"PTID\",\"Integrated Load\"\r\n");
    sums.forEach((key, s) -> {
      String[] k = key.split("\\|");
      Instant start = Instant.ofEpochSecond(Long.parseLong(k[0]) * 3600);
      ZoneOffset offset = k[2].equals("EDT") ? ZoneOffset.ofHours(-4) : ZoneOffset.ofHours(-5);
      String value = String.format(Locale.ROOT, "%.4f", s[0] / s[1]);
      out.append('"').append(STAMP.format(LocalDateTime.ofInstant(start, offset))).append("\",\"").append(k[2])
          .append("\",\"").append(k[1]).append("\",").append(k[3]).append(',').append(value).append("\r\n");
      expected.put(new Hour(k[1], start), Double.parseDouble(value));
    });
    return out.toString();
  }

  private Map<Hour, Double> table(String root) {
    Dataset<Row> rows = spark.read().parquet(root + "/" + RawLoadTable.PATH)
        .filter(col(RawLoadTable.SOURCE).equalTo(NyisoFeed.PAL_INTEGRATED.source()));
    assertEquals(1, rows.select(RawLoadTable.INTERVAL_MIN).distinct().count());
    assertEquals(60, rows.select(RawLoadTable.INTERVAL_MIN).first().getInt(0));
    Map<Hour, Double> out = new TreeMap<>(java.util.Comparator.comparing(Hour::zone).thenComparing(Hour::start));
    for (Row r : rows.select(RawLoadTable.REGION, RawLoadTable.TS, RawLoadTable.LOAD_MW).collectAsList()) {
      Double old = out.put(new Hour(r.getString(0), r.getTimestamp(1).toInstant()), r.getDouble(2));
      assertEquals(null, old, "duplicate row " + r);
    }
    return out;
  }

  @Test
  void httpWithAFaultAndTheArchiveGiveTheHourlyTableDstCorrect() throws Exception {
    Map<String, String> pal = PalTestArchives.entries(PalTestArchives.real("201911"));
    Map<Hour, Double> expected = new TreeMap<>(java.util.Comparator.comparing(Hour::zone).thenComparing(Hour::start));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("20191102palIntegrated.csv", integratedDay(pal.get("20191102pal.csv"), expected));
    files.put("20191103palIntegrated.csv", integratedDay(pal.get("20191103pal.csv"), expected));
    // 11 zones x (24 + 25) hours: the autumn day has 25.
    assertEquals(11 * 49, expected.size());

    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      files.forEach((n, csv) -> server.serve("/public/csv/palIntegrated/" + n, csv.getBytes(StandardCharsets.UTF_8)));
      server.failNext("/public/csv/palIntegrated/20191103palIntegrated.csv", LoopbackHttpServer.Fault.status(500));
      HttpSettings fast = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
          Duration.ofMillis(100), Duration.ZERO, "test");
      String root = tmp.resolve("http").toUri().toString();
      LocalDate nov2 = LocalDate.of(2019, 11, 2);
      HttpIngestOutcome outcome = new NyisoHttpSource(NyisoFeed.PAL_INTEGRATED, new HttpFetcher(fast),
          server.baseUri().resolve("/public/csv"), Clock.systemUTC()).run(spark, nov2, nov2.plusDays(1), root);
      assertTrue(outcome.report().retries() >= 1, "retries " + outcome.report().retries());
      assertEquals(NyisoFeed.PAL_INTEGRATED.source(), outcome.report().source());
      assertEquals(expected.size(), outcome.report().totals().rowsWritten());
      assertEquals(expected, table(root));
    }

    Path zip = PalTestArchives.zip(Files.createDirectories(tmp.resolve("z")).resolve("20191101palIntegrated_csv.zip"),
        files);
    String archiveRoot = tmp.resolve("archive").toUri().toString();
    IngestReport report = new NyisoPalArchiveIngest(NyisoFeed.PAL_INTEGRATED)
        .run(spark, List.of(PalTestArchives.uri(zip)), archiveRoot);
    assertTrue(report.files().stream().allMatch(FileReport::balanced));
    assertEquals(0, report.totals().offGridSnapped());
    assertEquals(expected, table(archiveRoot));
  }
}
