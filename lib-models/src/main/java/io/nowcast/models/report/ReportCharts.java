package io.nowcast.models.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, built with JFreeChart from the small aggregates of this package. Each chart has a
 * title, axis labels with units and a legend; a model has the same colour in every chart.
 */
public final class ReportCharts {
  static {
    ChartImages.Headless.ensure();
  }

  /** Which point-forecast error a chart shows. */
  public enum ErrorMetric {
    MAE_MW("MAE", "MW"),
    MAPE_PCT("MAPE", "%");

    private final String label;
    private final String unit;

    ErrorMetric(String label, String unit) {
      this.label = label;
      this.unit = unit;
    }

    String axisLabel() {
      return label + " of P50 (" + unit + ")";
    }

    String label() {
      return label;
    }
  }

  private static final Color GRID = new Color(0xDDDDDD);
  private static final BasicStroke LINE = new BasicStroke(1.4f);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private ReportCharts() {}

  /**
   * Actual load and each model's P50 over the sample week; models with quantiles get a translucent
   * P10–P90 band in their colour.
   */
  public static JFreeChart forecastVsActual(SampleWeek week, ZoneId zone, ModelPalette palette) {
    YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
    XYSeriesCollection lines = new XYSeriesCollection();
    XYSeries actual = new XYSeries("actual", false, true);
    week.actual().forEach(o -> actual.add(o.targetTs().toEpochMilli(), o.mw(), false));
    lines.addSeries(actual);
    DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
    bandRenderer.setAlpha(0.22f);
    XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
    lineRenderer.setSeriesPaint(0, ModelPalette.ACTUAL);
    lineRenderer.setSeriesStroke(0, new BasicStroke(1.8f));
    week.forecasts().forEach((model, points) -> {
      boolean banded = points.stream().anyMatch(SampleWeek.Forecast::hasBand);
      if (banded) {
        YIntervalSeries series = new YIntervalSeries(model + " P50, P10–P90 band", false, true);
        points.stream().filter(SampleWeek.Forecast::hasBand)
            .forEach(p -> series.add(p.targetTs().toEpochMilli(), p.p50(), p.p10(), p.p90()));
        int i = bands.getSeriesCount();
        bands.addSeries(series);
        bandRenderer.setSeriesPaint(i, palette.colour(model));
        bandRenderer.setSeriesFillPaint(i, palette.colour(model));
        bandRenderer.setSeriesStroke(i, LINE);
      } else {
        XYSeries series = new XYSeries(model + " P50", false, true);
        points.forEach(p -> series.add(p.targetTs().toEpochMilli(), p.p50(), false));
        int i = lines.getSeriesCount();
        lines.addSeries(series);
        lineRenderer.setSeriesPaint(i, palette.colour(model));
        lineRenderer.setSeriesStroke(i, LINE);
      }
    });
    DateAxis time = new DateAxis("Target time (" + zone.getId() + ")");
    time.setTimeZone(TimeZone.getTimeZone(zone));
    NumberAxis load = new NumberAxis("Load (MW)");
    load.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(lines, time, load, lineRenderer);
    plot.setDataset(1, bands);
    plot.setRenderer(1, bandRenderer);
    // Bands first, lines on top of them.
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    String title = "Forecast vs actual: " + week.region() + ", " + week.horizonMin() + " min ahead";
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    if (!week.actual().isEmpty()) {
      chart.addSubtitle(new TextTitle("Target times " + MINUTE.format(week.actual().get(0).targetTs().atZone(zone))
          + " to " + MINUTE.format(week.actual().get(week.actual().size() - 1).targetTs().atZone(zone))
          + " (" + zone.getId() + ")"));
    }
    return style(chart);
  }

  /** Error of each model at each horizon, grouped bars. */
  public static JFreeChart errorByHorizon(ErrorByHorizon errors, ErrorMetric metric, ModelPalette palette) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ErrorByHorizon.Entry e : errors.entries()) {
      data.addValue(metric == ErrorMetric.MAE_MW ? e.maeMw() : e.mapePct(), e.model(), e.horizonMin() + " min");
    }
    CategoryPlot plot = new CategoryPlot(
        data, new CategoryAxis("Horizon (minutes ahead)"), new NumberAxis(metric.axisLabel()), bars(data, palette));
    JFreeChart chart = new JFreeChart(
        metric.label() + " by horizon and model", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    return style(chart);
  }

  /** Error of each model by local hour of day of the target time, one line per model. */
  public static JFreeChart errorByHourOfDay(ErrorByHourOfDay errors, ErrorMetric metric, ModelPalette palette) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (String model : errors.models()) {
      XYSeries series = new XYSeries(model);
      errors.entries().stream().filter(e -> e.model().equals(model))
          .forEach(e -> series.add(e.hour(), metric == ErrorMetric.MAE_MW ? e.maeMw() : e.mapePct()));
      int i = data.getSeriesCount();
      data.addSeries(series);
      renderer.setSeriesPaint(i, palette.colour(model));
      renderer.setSeriesStroke(i, LINE);
    }
    NumberAxis hours = new NumberAxis("Hour of day of the target time (" + errors.zone().getId() + ")");
    hours.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    hours.setRange(-0.5, 23.5);
    NumberAxis value = new NumberAxis(metric.axisLabel());
    XYPlot plot = new XYPlot(data, hours, value, renderer);
    JFreeChart chart = new JFreeChart(
        metric.label() + " by hour of day, " + horizonText(errors.horizonMin()), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    return style(chart);
  }

  /** Residual distribution per model as step outlines, in percent of each model's rows. */
  public static JFreeChart residualHistogram(ResidualHistogram histogram, ModelPalette palette) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYStepRenderer renderer = new XYStepRenderer();
    double width = histogram.binWidthMw();
    for (String model : histogram.models()) {
      long[] counts = histogram.counts(model);
      long total = histogram.total(model);
      XYSeries series = new XYSeries(model + " (" + total + " rows)", false, true);
      for (int i = 0; i < counts.length; i++) {
        series.add((histogram.firstBin() + i) * width, 100.0 * counts[i] / total, false);
      }
      // Close the last bin at its upper edge.
      series.add((histogram.lastBin() + 1) * width, 100.0 * counts[counts.length - 1] / total, false);
      int i = data.getSeriesCount();
      data.addSeries(series);
      renderer.setSeriesPaint(i, palette.colour(model));
      renderer.setSeriesStroke(i, LINE);
    }
    NumberAxis residual = new NumberAxis("Residual P50 − actual (MW; > 0 = over-forecast)");
    residual.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, residual, new NumberAxis("Share of the model's forecasts (%)"), renderer);
    plot.addDomainMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
    JFreeChart chart = new JFreeChart(
        "Residuals of P50, " + horizonText(histogram.horizonMin()), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.addSubtitle(new TextTitle(String.format(Locale.ROOT,
        "Bins of %s MW; residuals beyond the shown range are counted in the edge bins", trim(width))));
    return style(chart);
  }

  /** The top features as horizontal bars, in percent of the total score over all features. */
  public static JFreeChart featureImportance(FeatureImportance importance, String model, Color colour) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (FeatureImportance.Entry e : importance.top()) {
      data.addValue(e.sharePct(), importance.kind(), e.feature());
    }
    BarRenderer renderer = new BarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, colour);
    CategoryAxis features = new CategoryAxis("Feature");
    features.setMaximumCategoryLabelWidthRatio(0.45f);
    CategoryPlot plot = new CategoryPlot(data, features,
        new NumberAxis(capitalised(importance.kind()) + " (% of the total over " + importance.featureCount()
            + " features)"),
        renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
    JFreeChart chart = new JFreeChart(
        "Top " + importance.top().size() + " features of " + model + " by " + importance.kind(),
        JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    return style(chart);
  }

  private static BarRenderer bars(DefaultCategoryDataset data, ModelPalette palette) {
    BarRenderer renderer = new BarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, palette.colour((String) data.getRowKey(i)));
    }
    return renderer;
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    Plot plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(GRID);
      category.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    }
    return chart;
  }

  private static String horizonText(OptionalInt horizonMin) {
    return horizonMin.isPresent() ? horizonMin.getAsInt() + " min ahead" : "all horizons";
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
