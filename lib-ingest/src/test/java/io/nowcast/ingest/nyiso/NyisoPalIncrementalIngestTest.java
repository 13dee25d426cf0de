package io.nowcast.ingest.nyiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import io.nowcast.ingest.report.QuarantineTable;
import io.nowcast.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-runs and partial runs: month-at-a-time ingest, and the quarantine table across runs. */
class NyisoPalIncrementalIngestTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> loadColumns(String root) {
    return spark
        .read()
        .parquet(root + "/" + RawLoadTable.PATH)
        .select(RawLoadTable.REGION, RawLoadTable.TS, RawLoadTable.LOAD_MW, RawLoadTable.MONTH);
  }

  @Test
  void monthsIngestedOneAtATimeInAnyOrderEqualOneRunOverAll(@TempDir Path tmp) {
    String november = PalTestArchives.uri(PalTestArchives.real("201911"));
    String december = PalTestArchives.uri(PalTestArchives.real("201912"));
    String together = tmp.resolve("together").toUri().toString();
    String oneByOne = tmp.resolve("one-by-one").toUri().toString();
    NyisoPalArchiveIngest ingest = new NyisoPalArchiveIngest();

    ingest.run(spark, List.of(november, december), together);
    // December first: November's archive then also fills the first hours of December UTC, and must not
    // replace the December partition with those hours alone.
    ingest.run(spark, List.of(december), oneByOne);
    IngestReport novemberAfter = ingest.run(spark, List.of(november), oneByOne);
    assertTrue(novemberAfter.existingRowsKept() > 0, "December's own rows were written back");
    // Running a month again replaces its days and keeps the rest.
    IngestReport again = ingest.run(spark, List.of(november), oneByOne);
    assertEquals(novemberAfter.existingRowsKept(), again.existingRowsKept());
    assertEquals(novemberAfter.totals().rowsWritten(), again.totals().rowsWritten());

    Dataset<Row> expected = loadColumns(together);
    Dataset<Row> actual = loadColumns(oneByOne);
    assertEquals(expected.count(), actual.count());
    assertEquals(0, expected.exceptAll(actual).count());
    assertEquals(0, actual.exceptAll(expected).count());
  }

  /** A path named like the real November archive, in its own folder. */
  private static Path archiveIn(Path tmp, String folder) throws IOException {
    return Files.createDirectories(tmp.resolve(folder)).resolve("20191101pal_csv.zip");
  }

  @Test
  void badLinesLandInTheQuarantineTableAndAreReplacedOnReRun(@TempDir Path tmp) throws IOException {
    String day = "20191103pal.csv";
    String real = PalTestArchives.entries(PalTestArchives.real("201911")).get(day);
    List<String> lines = new ArrayList<>(real.lines().toList());
    lines.set(9, lines.get(9).replace("\"EDT\"", "\"XYZ\"")); // line 10
    lines.set(20, lines.get(20).replaceAll(",[^,]*$", ",abc")); // line 21
    lines.add("<b>oops</b>"); // last line: not CSV of this format
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(day, String.join("\r\n", lines) + "\r\n");
    Path badZip = PalTestArchives.zip(archiveIn(tmp, "bad"), bad);
    String root = tmp.resolve("data").toUri().toString();

    IngestReport report = new NyisoPalArchiveIngest().run(spark, List.of(PalTestArchives.uri(badZip)), root);
    FileReport total = report.totals();
    assertEquals(
        Map.of(
            "unknown time zone 'XYZ'", 1L,
            NyisoPalCsvParser.NON_NUMERIC_LOAD, 1L,
            NyisoPalCsvParser.WRONG_COLUMN_COUNT, 1L),
        total.quarantinedByReason());
    assertTrue(total.balanced());

    Path quarantine = tmp.resolve("data/" + QuarantineTable.path(NyisoPalArchiveIngest.SOURCE));
    List<Row> rows =
        spark
            .read()
            .schema(QuarantineTable.SCHEMA) // else the day partition is read back as a DATE
            .parquet(quarantine.toUri().toString())
            .orderBy(QuarantineTable.LINE)
            .collectAsList();
    assertEquals(
        List.of(10L, 21L, (long) lines.size()),
        rows.stream().map(r -> r.<Long>getAs(QuarantineTable.LINE)).toList());
    assertEquals(lines.get(9), rows.get(0).getAs(QuarantineTable.RAW));
    assertEquals(day, rows.get(0).getAs(QuarantineTable.FILE));
    assertEquals("2019-11-03", rows.get(0).getAs(QuarantineTable.DAY));

    // The same day ingested clean: its quarantine partition goes, nothing stale is left.
    Map<String, String> clean = Map.of(day, real);
    Path cleanZip = PalTestArchives.zip(archiveIn(tmp, "clean"), clean);
    IngestReport cleanReport =
        new NyisoPalArchiveIngest().run(spark, List.of(PalTestArchives.uri(cleanZip)), root);
    assertEquals(0, cleanReport.totals().quarantined());
    assertFalse(Files.exists(quarantine.resolve(QuarantineTable.DAY + "=2019-11-03")));
  }
}
