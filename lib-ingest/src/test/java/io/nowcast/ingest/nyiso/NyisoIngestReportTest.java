package io.nowcast.ingest.nyiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nowcast.ingest.report.FileReport;
import io.nowcast.ingest.report.IngestReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared ingest report: totals, the balance check, and its two renderings. */
class NyisoIngestReportTest {
  private static final FileReport A =
      new FileReport(
          "s3a://b/20191101pal_csv.zip",
          "20191103pal.csv",
          10,
          Map.of("unknown time zone 'X\"Y'", 1L),
          2,
          3,
          1,
          0,
          8);
  private static final FileReport B =
      new FileReport("s3a://b/20191101pal_csv.zip", "20191104pal.csv", 5, Map.of(), 0, 0, 0, 1, 4);

  private final IngestReport report =
      new IngestReport(
          "nyiso-pal", Instant.parse("2019-11-04T00:00:00Z"), 1, List.of(A, B), 7, Duration.ofMillis(1500));

  @Test
  void totalsSumTheFiles() {
    FileReport t = report.totals();
    assertEquals(15, t.rowsParsed());
    assertEquals(1, t.quarantined());
    assertEquals(12, t.rowsWritten());
    assertEquals(1, t.supersededByExisting());
    assertTrue(t.balanced());
    assertEquals(19, report.rowsInWrittenPartitions());
    assertFalse(new FileReport(null, "x", 3, Map.of(), 0, 0, 0, 0, 2).balanced());
  }

  @Test
  void jsonIsValidAndCarriesTheCounts() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals("nyiso-pal", json.get("source").asText());
    assertEquals(2, json.get("files_read").asInt());
    assertEquals(7, json.get("existing_rows_kept").asLong());
    assertEquals(1, json.get("totals").get("quarantined_by_reason").get("unknown time zone 'X\"Y'").asLong());
    assertEquals("20191104pal.csv", json.get("files").get(1).get("file").asText());
  }

  @Test
  void tableHasALinePerFileAndTotals() {
    String table = report.toTable();
    assertTrue(table.contains("20191103pal.csv"));
    assertTrue(table.contains("20191104pal.csv"));
    assertTrue(table.contains("TOTAL"));
    assertTrue(table.contains("unknown time zone"));
  }
}
