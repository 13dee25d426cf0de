package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;

import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.report.HtmlReport.Figure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.jfree.chart.JFreeChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the evaluation report — the PNG charts and {@code report.html} with them embedded — into a
 * local directory, ready for {@code RunTracker.logArtifacts(dir, "plots")}.
 *
 * <p>All aggregation runs in Spark on the evaluation rows (see {@link EvaluationRows}); the driver only
 * receives small aggregates and one region-week of points. The directory appears complete or not at
 * all: files are written into a sibling temporary directory that is then renamed.
 */
public final class ReportWriter {
  public static final String HTML = "report.html";
  public static final String FORECAST_VS_ACTUAL = "forecast_vs_actual.png";
  public static final String ERROR_BY_HORIZON = "error_by_horizon.png";
  public static final String ERROR_BY_HOUR = "error_by_hour_of_day.png";
  public static final String RESIDUALS = "residual_histogram.png";
  public static final String FEATURE_IMPORTANCE = "feature_importance.png";

  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

  private ReportWriter() {}

  /** The report with {@link ReportSpec#defaults()} and the evaluator's metrics as its table. */
  public static ReportResult write(
      Dataset<Row> rows, List<HorizonMetrics> metrics, Map<String, Double> importance, RunMetadata meta,
      Path outDir) {
    return write(rows, List.of(ReportTable.of(metrics)), importance, meta, ReportSpec.defaults(), outDir);
  }

  /**
   * Writes the report.
   *
   * @param rows evaluation rows ({@link EvaluationRows}); best read from storage or cached, since they
   *     are scanned a few times
   * @param tables metrics tables shown as they are
   * @param importance feature name → score (XGBoost gain); null or empty leaves the chart out
   * @param outDir local directory to create; it must not exist or be empty
   * @throws IllegalArgumentException on missing columns, no usable rows, or a non-empty {@code outDir}
   */
  public static ReportResult write(
      Dataset<Row> rows, List<ReportTable> tables, Map<String, Double> importance, RunMetadata meta,
      ReportSpec spec, Path outDir) {
    checkEmptyOrAbsent(outDir);
    FeatureImportance top = importance == null || importance.isEmpty()
        ? null
        : FeatureImportance.of("gain", importance, spec.topFeatures());
    Map<String, Long> millis = new LinkedHashMap<>();
    long t0 = System.nanoTime();

    Dataset<Row> usable = EvaluationRows.usable(rows);
    EvaluationOverview overview = EvaluationOverview.of(usable);
    millis.put("overview", elapsed(t0));
    List<String> models = overview.models();
    if (models.isEmpty()) {
      throw new IllegalArgumentException(
          "no evaluation rows with both " + EvaluationRows.P50 + " and " + EvaluationRows.ACTUAL + ": nothing to report");
    }
    List<Integer> horizons = overview.horizons();
    int horizon = spec.horizonMin() != null ? spec.horizonMin() : horizons.get(horizons.size() - 1);
    if (!horizons.contains(horizon)) {
      throw new IllegalArgumentException("report horizon " + horizon + " min is not in the data; it has " + horizons);
    }
    String region = spec.sampleRegion() != null ? spec.sampleRegion() : overview.largestRegion();
    Instant weekStart = spec.sampleWeekStart() != null
        ? spec.sampleWeekStart()
        : overview.lastWeekStart(region, horizon); // also fails early on an unknown region
    // Scanned several times below: cache the few columns the report reads, flagged once.
    Dataset<Row> marked =
        EvaluationRows.withCommonFlag(usable, models.size()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> scored = spec.commonRowsOnly() ? marked.where(col(EvaluationRows.COMMON_FLAG)) : marked;
      long step = System.nanoTime();
      ErrorByHorizon byHorizon = ErrorByHorizon.compute(scored); // also fills the cache
      millis.put("cache_and_error_by_horizon", elapsed(step));
      if (byHorizon.entries().isEmpty()) {
        throw new IllegalArgumentException("no (region, target time, horizon) that all of the models " + models
            + " forecast: nothing to compare; report with commonRowsOnly=false to score each model on its own rows");
      }
      step = System.nanoTime();
      SampleWeek week = SampleWeek.compute(marked, region, horizon, weekStart);
      millis.put("sample_week", elapsed(step));
      step = System.nanoTime();
      ErrorByHourOfDay byHour = ErrorByHourOfDay.compute(scored, spec.zone(), OptionalInt.of(horizon));
      millis.put("error_by_hour", elapsed(step));
      step = System.nanoTime();
      ResidualHistogram residuals = ResidualHistogram.compute(scored, OptionalInt.of(horizon),
          spec.binWidthMw() == null ? OptionalDouble.empty() : OptionalDouble.of(spec.binWidthMw()));
      millis.put("residual_histogram", elapsed(step));
      long scoredRows = byHorizon.entries().stream().mapToLong(ErrorByHorizon.Entry::count).sum();
      millis.put("spark_aggregates", elapsed(t0));

      long t1 = System.nanoTime();
      ModelPalette palette = ModelPalette.of(models);
      List<Figure> figures = new ArrayList<>();
      figures.add(figure(FORECAST_VS_ACTUAL, "Forecast vs actual over one week, " + region + ", " + horizon
          + " min ahead, with the P10–P90 band of quantile models",
          ReportCharts.forecastVsActual(week, spec.zone(), palette), 1400, 560));
      figures.add(figure(ERROR_BY_HORIZON, "Error by horizon per model",
          ReportCharts.errorByHorizon(byHorizon, spec.errorMetric(), palette), 1000, 520));
      figures.add(figure(ERROR_BY_HOUR, "Error by hour of day (" + spec.zone().getId() + ") at " + horizon + " min",
          ReportCharts.errorByHourOfDay(byHour, spec.errorMetric(), palette), 1000, 520));
      figures.add(figure(RESIDUALS, "Histogram of P50 residuals at " + horizon + " min",
          ReportCharts.residualHistogram(residuals, palette), 1000, 520));
      if (top != null) {
        figures.add(figure(FEATURE_IMPORTANCE, "Feature importance of " + spec.importanceModel() + " (gain)",
            ReportCharts.featureImportance(top, spec.importanceModel(), palette.colour(spec.importanceModel())),
            1000, 140 + 24 * top.top().size()));
      }
      millis.put("render_png", elapsed(t1));

      long t2 = System.nanoTime();
      List<String> notes = new ArrayList<>();
      notes.add("Models: " + String.join(", ", models) + ". "
          + (spec.commonRowsOnly()
              ? "Errors are scored on the " + scoredRows / models.size()
                  + " (region, target time, horizon) cells that every model forecast."
              : "Each model is scored on all of its own rows."));
      if (top == null) {
        notes.add("No feature importance was given, so its chart is left out.");
      }
      String html = HtmlReport.render(meta, tables, figures, notes, Instant.now());
      Path written = writeAtomically(outDir, figures, html);
      millis.put("write_files", elapsed(t2));
      millis.put("total", elapsed(t0));
      LOG.info("report written to {} ({} charts, {} models); times ms: {}", written, figures.size(), models.size(), millis);
      List<Path> pngs = figures.stream().map(f -> written.resolve(f.fileName())).toList();
      return new ReportResult(written, written.resolve(HTML), pngs, models, region, horizon, scoredRows, millis);
    } finally {
      marked.unpersist();
    }
  }

  private static Figure figure(String file, String caption, JFreeChart chart, int width, int height) {
    return new Figure(file, caption, ChartImages.png(chart, width, height));
  }

  private static void checkEmptyOrAbsent(Path outDir) {
    if (Files.exists(outDir)) {
      if (!Files.isDirectory(outDir)) {
        throw new IllegalArgumentException("report directory " + outDir + " exists and is not a directory");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(outDir)) {
        if (entries.iterator().hasNext()) {
          throw new IllegalArgumentException("report directory " + outDir + " is not empty; give a new one");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the report directory " + outDir, e);
      }
    }
  }

  private static Path writeAtomically(Path outDir, List<Figure> figures, String html) {
    Path target = outDir.toAbsolutePath().normalize();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
      for (Figure f : figures) {
        Files.write(tmp.resolve(f.fileName()), f.png());
      }
      Files.writeString(tmp.resolve(HTML), html, StandardCharsets.UTF_8);
      Files.deleteIfExists(target); // an empty directory, checked above
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write the report to " + target, e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove the temporary report directory {}: {}", dir, e.toString());
    }
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
