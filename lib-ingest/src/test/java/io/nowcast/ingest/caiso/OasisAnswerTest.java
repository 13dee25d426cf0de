package io.nowcast.ingest.caiso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing OASIS answers: CSV, the real XML sample, error documents and damaged bodies (no Spark). */
class OasisAnswerTest {
  private static final String REQ = "http://oasis.test/oasisapi/SingleZip?queryname=SLD_FCST";
  private static final LocalDate DAY = LocalDate.of(2019, 1, 31);

  @Test
  void csvRowsAreReadByColumnNameAndBadRecordsQuarantined() {
    Instant t = Instant.parse("2019-01-31T08:00:00Z");
    List<String> extra = List.of(
        OasisFixtures.rtmLine("PGE-TAC", t, "abc"),
        OasisFixtures.rtmLine("PGE-TAC", t, "-5"),
        OasisFixtures.rtmLine("", t, "1"),
        OasisFixtures.rtmLine("SCE-TAC", t, "") ,
        "2019-01-31T08:00:00-00:00,too,few");
    OasisParseResult r = OasisAnswer.parse(REQ, OasisFixtures.zipCsv(DAY, DAY.plusDays(1), extra));
    assertEquals(2 * 288 + 1, r.rows().size());
    assertEquals(Map.of(OasisFields.NON_NUMERIC_MW, 1L, OasisFields.NEGATIVE_MW, 1L,
        OasisFields.EMPTY_TAC_AREA, 1L, OasisCsvParser.WRONG_COLUMN_COUNT, 1L), r.quarantinedByReason());
    OasisRow first = r.rows().get(0);
    assertEquals("PGE-TAC", first.tacArea());
    assertEquals(DAY.atStartOfDay().toInstant(java.time.ZoneOffset.UTC), first.start());
    assertEquals(OasisFixtures.mw("PGE-TAC", first.start()), first.mw());
    assertNull(r.rows().get(r.rows().size() - 1).mw(), "an empty MW is kept as a gap");
  }

  @Test
  void realXmlSampleIsReadWithStax() throws IOException {
    byte[] xml = Files.readAllBytes(SharedData.require("caiso/oasis_sld_fcst_sample.xml"));
    OasisParseResult r = OasisAnswer.parse(REQ, OasisFixtures.zip("SLD_FCST.xml", xml));
    // Facts of the sample: three REPORT_DATA items, values and GMT intervals as published.
    assertEquals(List.of(
            new OasisRow("CA ISO-TAC", Instant.parse("2014-05-08T19:15:00Z"), Instant.parse("2014-05-08T19:30:00Z"), 26723.0, 1),
            new OasisRow("CA ISO-TAC", Instant.parse("2014-05-08T18:55:00Z"), Instant.parse("2014-05-08T19:00:00Z"), 26755.0, 2),
            new OasisRow("PGE-TAC", Instant.parse("2014-05-08T19:05:00Z"), Instant.parse("2014-05-08T19:10:00Z"), 11530.0, 3)),
        r.rows());
  }

  @Test
  void oasisErrorDocumentIsAClearErrorNamingTheRequest() {
    OasisErrorException e = assertThrows(OasisErrorException.class, () -> OasisAnswer.parse(REQ, OasisFixtures.errorZip()));
    assertEquals("1000", e.code());
    assertEquals("No data returned for the specified selection", e.description());
    assertTrue(e.getMessage().startsWith(REQ + ": OASIS error 1000"), e.getMessage());
  }

  @Test
  void damagedOrForeignBodiesAreRefusedNamingTheRequest() {
    byte[] zip = OasisFixtures.zipCsv(DAY, DAY.plusDays(1), List.of());
    byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
    byte[] otherCsv = OasisFixtures.zip("x.csv", "A,B\n1,2\n".getBytes(StandardCharsets.UTF_8));
    for (byte[] body : List.of(Arrays.copyOf(zip, zip.length - 30), Arrays.copyOf(zip, zip.length / 2), html,
        new byte[0], otherCsv)) {
      OasisFormatException e = assertThrows(OasisFormatException.class, () -> OasisAnswer.parse(REQ, body));
      assertTrue(e.getMessage().startsWith(REQ + ": "), e.getMessage());
    }
    OasisFormatException e = assertThrows(OasisFormatException.class, () -> OasisAnswer.parse(REQ, html));
    assertTrue(e.getMessage().contains("HTML"), e.getMessage());
  }

  @Test
  void requestsAreCutAtMonthStartsAndSpellOasisParameters() {
    List<LocalDate> days = LocalDate.of(2019, 1, 20).datesUntil(LocalDate.of(2019, 3, 6)).toList();
    List<OasisRequest> rs = OasisRequest.covering(OasisMarket.RTM, days);
    assertEquals(List.of(
            new OasisRequest(OasisMarket.RTM, LocalDate.of(2019, 1, 20), LocalDate.of(2019, 2, 1)),
            new OasisRequest(OasisMarket.RTM, LocalDate.of(2019, 2, 1), LocalDate.of(2019, 3, 1)),
            new OasisRequest(OasisMarket.RTM, LocalDate.of(2019, 3, 1), LocalDate.of(2019, 3, 6))),
        rs);
    assertEquals("https://oasis.caiso.com/oasisapi/SingleZip?queryname=SLD_FCST&market_run_id=ACTUAL"
            + "&startdatetime=20190120T00:00-0000&enddatetime=20190201T00:00-0000&version=1&resultformat=6",
        new OasisRequest(OasisMarket.ACTUAL, rs.get(0).start(), rs.get(0).end())
            .uri(CaisoOasisSource.DEFAULT_BASE_URL).toString());
    assertThrows(IllegalArgumentException.class,
        () -> new OasisRequest(OasisMarket.RTM, LocalDate.of(2019, 1, 1), LocalDate.of(2019, 2, 2)));
    assertEquals(rs.get(1), OasisRequest.ofLandedName(OasisMarket.RTM, rs.get(1).landedName()).orElseThrow());
  }
}
