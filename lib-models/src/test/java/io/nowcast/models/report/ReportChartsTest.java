package io.nowcast.models.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.report.ReportCharts.ErrorMetric;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/**
 * The charts render to real PNGs: decoded with ImageIO they have the asked size, are not blank, and
 * show each model in its palette colour; titles and axis labels carry units.
 */
class ReportChartsTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final List<String> MODELS = List.of("xgboost", "persistence", "iso");
  private static final ModelPalette PALETTE = ModelPalette.of(MODELS);

  @Test
  void forecastVsActualShowsLinesAndATranslucentBand() throws IOException {
    SampleWeek week = week();
    JFreeChart chart = ReportCharts.forecastVsActual(week, NEW_YORK, PALETTE);
    XYPlot plot = (XYPlot) chart.getPlot();
    assertEquals("Load (MW)", plot.getRangeAxis().getLabel());
    assertEquals("Target time (America/New_York)", plot.getDomainAxis().getLabel());
    assertTrue(chart.getTitle().getText().contains("N.Y.C.") && chart.getTitle().getText().contains("60 min"));
    assertNotNull(chart.getLegend());
    assertEquals(2, plot.getDataset(0).getSeriesCount(), "actual + the point model");
    assertEquals(1, plot.getDataset(1).getSeriesCount(), "the quantile model's band");

    BufferedImage image = decode(ChartImages.png(chart, 1400, 560), 1400, 560);
    assertTrue(distinctColours(image) > 100, "antialiased lines give many colours: " + distinctColours(image));
    // The band: the model colour at 22 % over white, over a large area.
    Color band = blendOverWhite(PALETTE.colour("xgboost"), 0.22);
    assertTrue(pixelsNear(image, band, 6) > 5_000, "band pixels: " + pixelsNear(image, band, 6));
    assertTrue(pixelsNear(image, ModelPalette.ACTUAL, 40) > 500, "actual line");
    assertTrue(pixelsNear(image, PALETTE.colour("persistence"), 40) > 300, "persistence line");
  }

  @Test
  void errorByHorizonHasOneBarColourPerModel() throws IOException {
    List<ErrorByHorizon.Entry> entries = new ArrayList<>();
    for (String model : MODELS) {
      for (int h : List.of(15, 30, 45, 60)) {
        entries.add(new ErrorByHorizon.Entry(model, h, 1000, h * (model.equals("xgboost") ? 0.4 : 1.0) + 5, h / 20.0));
      }
    }
    JFreeChart chart = ReportCharts.errorByHorizon(new ErrorByHorizon(entries), ErrorMetric.MAE_MW, PALETTE);
    CategoryPlot plot = (CategoryPlot) chart.getPlot();
    assertEquals("MAE of P50 (MW)", plot.getRangeAxis().getLabel());
    assertEquals("Horizon (minutes ahead)", plot.getDomainAxis().getLabel());
    assertEquals(3, plot.getDataset().getRowCount());
    assertEquals(4, plot.getDataset().getColumnCount());
    BufferedImage image = decode(ChartImages.png(chart, 1000, 520), 1000, 520);
    assertTrue(distinctColours(image) > 20);
    for (String model : MODELS) {
      assertTrue(pixelsNear(image, PALETTE.colour(model), 0) > 1_000, model + " bars");
    }
    JFreeChart mape = ReportCharts.errorByHorizon(new ErrorByHorizon(entries), ErrorMetric.MAPE_PCT, PALETTE);
    assertEquals("MAPE of P50 (%)", ((CategoryPlot) mape.getPlot()).getRangeAxis().getLabel());
  }

  @Test
  void errorByHourOfDayDrawsALinePerModel() throws IOException {
    List<ErrorByHourOfDay.Entry> entries = new ArrayList<>();
    for (String model : MODELS) {
      for (int hour = 0; hour < 24; hour++) {
        double mae = 30 + 20 * Math.sin(hour / 24.0 * 2 * Math.PI) + MODELS.indexOf(model) * 15;
        entries.add(new ErrorByHourOfDay.Entry(model, hour, 90, mae, mae / 50));
      }
    }
    ErrorByHourOfDay errors = new ErrorByHourOfDay(NEW_YORK, OptionalInt.of(60), entries);
    JFreeChart chart = ReportCharts.errorByHourOfDay(errors, ErrorMetric.MAPE_PCT, PALETTE);
    XYPlot plot = (XYPlot) chart.getPlot();
    assertEquals("MAPE of P50 (%)", plot.getRangeAxis().getLabel());
    assertTrue(plot.getDomainAxis().getLabel().contains("America/New_York"));
    assertTrue(chart.getTitle().getText().contains("60 min ahead"));
    BufferedImage image = decode(ChartImages.png(chart, 1000, 520), 1000, 520);
    assertTrue(distinctColours(image) > 50);
    for (String model : MODELS) {
      assertTrue(pixelsNear(image, PALETTE.colour(model), 40) > 300, model + " line");
    }
  }

  @Test
  void residualHistogramDrawsSharesPerModel() throws IOException {
    List<ResidualHistogram.Bin> bins = new ArrayList<>();
    Random random = new Random(3);
    for (String model : MODELS) {
      long[] counts = new long[41];
      for (int i = 0; i < 5000; i++) {
        int bin = (int) Math.round(random.nextGaussian() * (4 + MODELS.indexOf(model) * 2)) + 20;
        counts[Math.max(0, Math.min(40, bin))]++;
      }
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          bins.add(new ResidualHistogram.Bin(model, i - 20, counts[i]));
        }
      }
    }
    ResidualHistogram histogram = new ResidualHistogram(OptionalInt.of(15), 10, -20, 20, bins);
    assertEquals(5000, histogram.total("iso"));
    JFreeChart chart = ReportCharts.residualHistogram(histogram, PALETTE);
    XYPlot plot = (XYPlot) chart.getPlot();
    assertTrue(plot.getDomainAxis().getLabel().contains("(MW"));
    assertEquals("Share of the model's forecasts (%)", plot.getRangeAxis().getLabel());
    // Shares of each model add up to 100 % (the closing point repeats the last bin).
    for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
      double sum = 0;
      for (int i = 0; i < plot.getDataset().getItemCount(s) - 1; i++) {
        sum += plot.getDataset().getYValue(s, i);
      }
      assertEquals(100.0, sum, 1e-9);
    }
    BufferedImage image = decode(ChartImages.png(chart, 1000, 520), 1000, 520);
    assertTrue(distinctColours(image) > 50);
    for (String model : MODELS) {
      assertTrue(pixelsNear(image, PALETTE.colour(model), 40) > 200, model + " outline");
    }
  }

  @Test
  void featureImportanceFromARealBoosterRanksTheDrivingFeatureFirst() throws IOException, XGBoostError {
    Map<String, Double> gain = trainTinyBooster().getScore("", "gain");
    FeatureImportance top = FeatureImportance.of("gain", gain, 3);
    assertEquals("load_now", top.top().get(0).feature(), "y is driven by load_now: " + gain);
    assertEquals(gain.size(), top.featureCount());
    double shareSum = gain.values().stream().mapToDouble(Double::doubleValue).sum();
    for (int i = 0; i < top.top().size(); i++) {
      FeatureImportance.Entry e = top.top().get(i);
      assertEquals(gain.get(e.feature()), e.score());
      assertEquals(100 * e.score() / shareSum, e.sharePct(), 1e-9);
      if (i > 0) {
        assertTrue(top.top().get(i - 1).score() >= e.score());
      }
    }
    JFreeChart chart = ReportCharts.featureImportance(top, "xgboost", PALETTE.colour("xgboost"));
    assertTrue(((CategoryPlot) chart.getPlot()).getRangeAxis().getLabel().startsWith("Gain (% of the total over"));
    BufferedImage image = decode(ChartImages.png(chart, 1000, 300), 1000, 300);
    assertTrue(pixelsNear(image, PALETTE.colour("xgboost"), 0) > 2_000);
  }

  @Test
  void featureImportanceRefusesBadScoresAndKeepsTopN() {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      scores.put("f" + i, (double) (i % 7));
    }
    FeatureImportance top = FeatureImportance.of("gain", scores, 5);
    assertEquals(List.of("f13", "f20", "f27", "f6", "f12"), top.top().stream().map(FeatureImportance.Entry::feature).toList());
    scores.put("broken", Double.NaN);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureImportance.of("gain", scores, 5));
    assertTrue(e.getMessage().contains("feature broken"), e.getMessage());
  }

  @Test
  void paletteIsStableAndDistinct() {
    ModelPalette other = ModelPalette.of(List.of("iso", "xgboost", "persistence", "iso"));
    Set<Color> colours = new HashSet<>();
    for (String model : MODELS) {
      assertEquals(PALETTE.colour(model), other.colour(model));
      colours.add(PALETTE.colour(model));
    }
    assertEquals(3, colours.size());
    assertEquals(Color.GRAY, PALETTE.colour("unknown"));
  }

  @Test
  void pngBytesAreAPng() {
    byte[] png = ChartImages.png(ReportCharts.forecastVsActual(week(), NEW_YORK, PALETTE), 300, 200);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    assertThrows(IllegalArgumentException.class,
        () -> ChartImages.png(ReportCharts.forecastVsActual(week(), NEW_YORK, PALETTE), 0, 200));
  }

  static SampleWeek week() {
    Instant start = Instant.parse("2019-03-06T05:00:00Z");
    List<SampleWeek.Observation> actual = new ArrayList<>();
    List<SampleWeek.Forecast> xgb = new ArrayList<>();
    List<SampleWeek.Forecast> persistence = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < SampleWeek.MAX_POINTS_PER_MODEL; i++) {
      Instant t = start.plus(Duration.ofMinutes(5L * i));
      double load = 5000 + 900 * Math.sin(2 * Math.PI * i / 288.0) + random.nextGaussian() * 30;
      actual.add(new SampleWeek.Observation(t, load));
      double p50 = load + random.nextGaussian() * 40;
      xgb.add(new SampleWeek.Forecast(t, p50 - 150, p50, p50 + 150));
      persistence.add(new SampleWeek.Forecast(t, Double.NaN, load + 200 * Math.cos(2 * Math.PI * i / 288.0), Double.NaN));
    }
    return new SampleWeek("N.Y.C.", 60, start, start.plus(Duration.ofDays(7)), actual,
        Map.of("xgboost", xgb, "persistence", persistence));
  }

  private static Booster trainTinyBooster() throws XGBoostError {
    Random random = new Random(5);
    int n = 400;
    float[] x = new float[n * 3];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[3 * i] = (float) random.nextGaussian();
      x[3 * i + 1] = (float) random.nextGaussian();
      x[3 * i + 2] = (float) random.nextGaussian();
      y[i] = 3 * x[3 * i] + 0.3f * x[3 * i + 1] + (float) random.nextGaussian() * 0.05f;
    }
    DMatrix matrix = new DMatrix(x, n, 3, Float.NaN);
    try {
      matrix.setLabel(y);
      matrix.setFeatureNames(new String[] {"load_now", "temp_c", "noise"});
      Map<String, Object> params = Map.of("objective", "reg:squarederror", "max_depth", 3, "eta", 0.3, "nthread", 1);
      return XGBoost.train(matrix, params, 15, Map.of(), null, null);
    } finally {
      matrix.dispose();
    }
  }

  static BufferedImage decode(byte[] png, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "not a decodable PNG");
    assertEquals(width, image.getWidth());
    assertEquals(height, image.getHeight());
    return image;
  }

  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return colours.size();
  }

  static int pixelsNear(BufferedImage image, Color colour, int tolerance) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 0xFF) - colour.getRed()) <= tolerance
            && Math.abs(((rgb >> 8) & 0xFF) - colour.getGreen()) <= tolerance
            && Math.abs((rgb & 0xFF) - colour.getBlue()) <= tolerance) {
          count++;
        }
      }
    }
    return count;
  }

  private static Color blendOverWhite(Color c, double alpha) {
    return new Color(
        (int) Math.round(alpha * c.getRed() + (1 - alpha) * 255),
        (int) Math.round(alpha * c.getGreen() + (1 - alpha) * 255),
        (int) Math.round(alpha * c.getBlue() + (1 - alpha) * 255));
  }
}
