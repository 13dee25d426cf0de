package io.nowcast.models.report;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Renders the report as one self-contained HTML page: run metadata, tables, and the charts embedded as
 * base64 {@code data:} URIs, with inline CSS and no scripts or external resources, so the file opens
 * the same from an MLflow artifact view, a mail attachment or a disk. Every piece of text is
 * HTML-escaped (region and model names come from data).
 */
public final class HtmlReport {
  /** A chart: the PNG, its file name next to the report, and a caption. */
  public record Figure(String fileName, String caption, byte[] png) {}

  private static final String CSS = String.join("\n",
      "body{font-family:sans-serif;margin:2em auto;max-width:1250px;color:#222;padding:0 1em}",
      "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}",
      "table{border-collapse:collapse;margin:.5em 0 1em}",
      "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.9em}",
      "td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}",
      "figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}",
      "figcaption{font-size:.9em;color:#555}.note{color:#555;font-size:.9em}");

  private HtmlReport() {}

  /**
   * The page.
   *
   * @param notes short remarks shown under the metadata (e.g. which rows were scored)
   */
  public static String render(
      RunMetadata meta, List<ReportTable> tables, List<Figure> figures, List<String> notes, Instant createdAt) {
    StringBuilder html = new StringBuilder(1 << 16);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(esc(meta.title())).append("</title>\n")
        .append("<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n")
        .append("<h1>").append(esc(meta.title())).append("</h1>\n");

    html.append("<h2>Run</h2>\n<table class=\"meta\">\n");
    metaRow(html, "MLflow run id", meta.runId());
    metaRow(html, "Git commit", meta.gitCommit());
    metaRow(html, "Data fingerprint", meta.dataFingerprint());
    metaRow(html, "Report created (UTC)", createdAt.toString());
    html.append("</table>\n");
    for (String note : notes) {
      html.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }
    if (!meta.config().isEmpty()) {
      html.append("<h2>Configuration</h2>\n<table class=\"config\">\n<tr><th>key</th><th>value</th></tr>\n");
      for (Map.Entry<String, String> e : meta.config().entrySet()) {
        html.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue()))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    for (ReportTable table : tables) {
      html.append("<h2>").append(esc(table.caption())).append("</h2>\n<table>\n<tr>");
      table.header().forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
      html.append("</tr>\n");
      for (List<String> row : table.rows()) {
        html.append("<tr>");
        for (String cell : row) {
          html.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(esc(cell)).append("</td>");
        }
        html.append("</tr>\n");
      }
      html.append("</table>\n");
    }
    if (!figures.isEmpty()) {
      html.append("<h2>Charts</h2>\n");
    }
    for (Figure figure : figures) {
      html.append("<figure id=\"").append(esc(figure.fileName())).append("\">\n<img src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(figure.png()))
          .append("\" alt=\"").append(esc(figure.caption())).append("\">\n<figcaption>")
          .append(esc(figure.caption())).append(" (").append(esc(figure.fileName())).append(")</figcaption>\n")
          .append("</figure>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void metaRow(StringBuilder html, String key, String value) {
    html.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  /** HTML-escapes text for element content and double-quoted attributes; null becomes empty. */
  static String esc(String text) {
    return text == null ? "" : StringEscapeUtils.escapeHtml4(text);
  }

  private static boolean isNumber(String cell) {
    return cell != null && cell.matches("-?[0-9][0-9.,eE+-]*%?");
  }
}
