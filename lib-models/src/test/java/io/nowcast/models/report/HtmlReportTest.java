package io.nowcast.models.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.eval.HorizonMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page is self-contained and escapes whatever text it is given. */
class HtmlReportTest {
  private static final String EVIL = "<script>alert('x')</script> & \"quoted\"";

  @Test
  void imagesAreEmbeddedAsDataUrisAndTextIsEscaped() {
    byte[] first = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    byte[] second = {(byte) 0x89, 'P', 'N', 'G', 9, 8, 7, 6, 5};
    Map<String, String> config = new LinkedHashMap<>();
    config.put("regions", EVIL);
    config.put("model.max_depth", "6");
    RunMetadata meta = new RunMetadata("Evaluation " + EVIL, "run-123", "abc1234", "sha256:ff00", config);
    ReportTable table = new ReportTable("Accuracy " + EVIL, List.of("model", "MAE (MW)"),
        List.of(List.of(EVIL, "41.25"), List.of("persistence", "60.10")));
    String html = HtmlReport.render(meta, List.of(table),
        List.of(new HtmlReport.Figure("a.png", "first " + EVIL, first), new HtmlReport.Figure("b.png", "second", second)),
        List.of("note " + EVIL), Instant.parse("2026-11-27T04:00:00Z"));

    List<byte[]> images = dataUris(html);
    assertEquals(2, images.size());
    assertArrayEquals(first, images.get(0));
    assertArrayEquals(second, images.get(1));
    assertFalse(html.toLowerCase().contains("<script"), "an injected script tag must not survive");
    assertTrue(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;quoted&quot;"));
    assertFalse(html.contains("alert('x')</script>"));
    for (String expected : List.of("run-123", "abc1234", "sha256:ff00", "model.max_depth", "41.25", "2026-11-27T04:00:00Z")) {
      assertTrue(html.contains(expected), expected);
    }
    // Self-contained: nothing is loaded from elsewhere.
    assertFalse(html.contains("http://") || html.contains("https://"), "no external links");
    assertFalse(html.contains("<link") || html.contains("@import"), "no external CSS");
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    while (src.find()) {
      assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1));
    }
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
  }

  @Test
  void metricsTableFromTheEvaluator() {
    ReportTable table = ReportTable.of(List.of(
        new HorizonMetrics("xgboost", 15, 1200, 11.834, 15.5, 0.9351, 0.347),
        new HorizonMetrics("persistence", 15, 1200, 18.13, 25.0, 1.264, Double.NaN)));
    assertEquals(7, table.header().size());
    assertEquals(List.of("xgboost", "15", "1200", "11.83", "15.50", "0.935", "34.7"), table.rows().get(0));
    assertEquals("", table.rows().get(1).get(6), "no skill for the reference itself");
  }

  @Test
  void raggedTableIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReportTable("t", List.of("a", "b"), List.of(List.of("1"))));
    assertTrue(e.getMessage().contains("row 0 has 1 cells, the header 2"), e.getMessage());
  }

  static List<byte[]> dataUris(String html) {
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    List<byte[]> out = new ArrayList<>();
    while (m.find()) {
      out.add(Base64.getDecoder().decode(m.group(1)));
    }
    return out;
  }
}
