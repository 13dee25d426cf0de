package io.nowcast.features;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.grid.RegularGridStage;
import io.nowcast.features.load.LoadDeltaStage;
import io.nowcast.features.load.LoadLagStage;
import io.nowcast.features.load.RollingExtremaStage;
import io.nowcast.features.load.RollingStatsStage;
import io.nowcast.features.spec.FeatureGroup;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.sql.FeatureSql;
import io.nowcast.features.target.TargetStage;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.features.weather.WeatherFeatureStage;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.region.RegionMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Builds the features table from raw load (and, when given, raw weather): regular grid → weather as-of
 * alignment → the stages of the spec's groups (rolling min/max and mean/std, lags, deltas, weather
 * features, targets, calendar) → the table's column order. A pure function of its inputs: it only
 * builds a lazy plan, the caller decides where to write it. {@link #explainSql} renders the same
 * load-derived columns as Spark SQL text.
 *
 * <p>Speed: the grid series is cut into monthly chunks with a halo ({@link SeriesChunks}); every
 * window of every stage is partitioned by (month, region) and ordered by time ({@link
 * SeriesColumns#ordered}), so Spark sorts once for all forward passes (plus once backward for the
 * rolling extrema), over window partitions of one month each (window buffers of ~11k rows, not a
 * region's whole series), and the result comes out grouped by month for {@link FeatureTableWriter}.
 * Spark's tasks are still split by region: the weather alignment's exchange hashes by region, which
 * already satisfies the (month, region) clustering, so no second exchange is added (forcing one
 * balanced the tasks but cost more than it saved; docs/design-notes.md 15). The window stages are
 * {@link FusibleStage}s: {@link #build} adds the grid helpers once and evaluates every stage's
 * window functions in one select, i.e. one Window operator over the narrow input rows, instead of one
 * per stage over rows that grow with each stage (the pipeline of {@link #seriesPipeline} computes the
 * same columns stage by stage). The stages ask
 * for their window functions through one {@link WindowTerms}, so each distinct one is computed once
 * however many features use it; the features are then a plain projection over the terms.
 *
 * <p>Invariants: one row per region and grid instant; every column except the targets {@code y_h*}
 * (and the {@code *_at_target_actual} columns of the flagged weather group) at {@code issue_ts}
 * depends only on load and weather stamped at or before {@code issue_ts}; the output does not depend
 * on the partitioning of the inputs or on the session time zone.
 */
public final class FeatureBuilder {
  private final FeatureSpec spec;
  private final RegionMap regions;

  public FeatureBuilder(FeatureSpec spec, RegionMap regions) {
    this.spec = spec;
    this.regions = regions;
  }

  /**
   * The Spark ML stages after the grid and weather steps, as one pipeline model (saveable), checked
   * against the schema of {@code input}. The weather features stage is included when the spec's
   * weather group is on and {@code input} has aligned weather.
   */
  public PipelineModel seriesPipeline(Dataset<Row> input) {
    List<PipelineStage> stages = new ArrayList<>(fusibleStages(input));
    calendarStage().ifPresent(stages::add);
    // A pipeline of transformers only: fit() runs no Spark job, it just wraps the stages.
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(input);
  }

  /**
   * The spec's window stages, all {@link FusibleStage}s: {@link #build} evaluates their columns in
   * one window pass. Rolling min/max first: its backward-in-time pass ({@link FusibleStage#prepare})
   * then runs on the narrowest rows and takes the place of the first sort by region and time.
   */
  private List<FeatureStage> fusibleStages(Dataset<Row> input) {
    int step = spec.stepMinutes();
    int[] windows = toArray(spec.windowMinutes());
    List<FeatureStage> stages = new ArrayList<>();
    if (spec.has(FeatureGroup.ROLLING_EXTREMA) && windows.length > 0) {
      stages.add(new RollingExtremaStage().setStepMinutes(step).setWindowsMinutes(windows));
    }
    if (spec.has(FeatureGroup.ROLLING_STATS) && windows.length > 0) {
      stages.add(new RollingStatsStage().setStepMinutes(step).setWindowsMinutes(windows));
    }
    stages.add(
        new LoadLagStage()
            .setStepMinutes(step)
            .setLagsMinutes(spec.has(FeatureGroup.LOAD_LAGS) ? toArray(spec.lagMinutes()) : new int[0]));
    if (spec.has(FeatureGroup.LOAD_DELTAS) && !spec.deltaMinutes().isEmpty()) {
      stages.add(new LoadDeltaStage().setStepMinutes(step).setDeltasMinutes(toArray(spec.deltaMinutes())));
    }
    List<String> columns = List.of(input.columns());
    if (spec.has(FeatureGroup.WEATHER)
        && columns.contains(WeatherAligner.TEMP_C)
        && columns.contains(WeatherAligner.RH_PCT)) {
      stages.add(
          new WeatherFeatureStage()
              .setStepMinutes(step)
              .setDeltasMinutes(toArray(spec.weatherDeltaMinutes()))
              .setAtTargetActual(spec.has(FeatureGroup.WEATHER_AT_TARGET_ACTUAL))
              .setHorizonsMinutes(toArray(spec.horizons())));
    }
    stages.add(new TargetStage().setStepMinutes(step).setHorizonsMinutes(toArray(spec.horizons())));
    return stages;
  }

  /** The calendar stage, when the spec has it (no window: it runs after the window pass). */
  private Optional<CalendarStage> calendarStage() {
    if (!spec.has(FeatureGroup.CALENDAR)) {
      return Optional.empty();
    }
    return Optional.of(
        new CalendarStage()
            .setRegionZones(
                regions.all().stream().map(r -> r.name() + "=" + r.zone().getId()).toArray(String[]::new))
            .setRegionCalendars(
                regions.all().stream().map(r -> r.name() + "=" + r.holidayCalendar()).toArray(String[]::new))
            .setDefaultZone("UTC")
            .setDefaultCalendar("US")
            .setTargetHorizonsMinutes(
                spec.has(FeatureGroup.CALENDAR_AT_TARGET) ? toArray(spec.horizons()) : new int[0]));
  }

  /**
   * What {@link #seriesPipeline} computes, with the window stages fused: their prepare passes, the
   * grid helpers once, then every stage's new columns in one select (one Window operator over the
   * narrow input rows instead of one per stage over ever wider rows), then the calendar. Same
   * columns, same values as the pipeline's stage-by-stage transform.
   */
  Dataset<Row> applyStages(Dataset<Row> input) {
    List<FeatureStage> stages = fusibleStages(input);
    Dataset<Row> frame = input;
    for (FeatureStage stage : stages) {
      stage.transformSchema(frame.schema());
      frame = ((FusibleStage) stage).prepare(frame);
    }
    frame = SeriesColumns.withGridCheck(frame, spec.stepMinutes());
    WindowTerms terms = new WindowTerms(frame);
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    List<String> helpers = new ArrayList<>();
    for (FeatureStage stage : stages) {
      FusibleStage fusible = (FusibleStage) stage;
      fusible.newColumns(frame, terms).forEach((name, value) -> columns.add(value.as(name)));
      helpers.addAll(fusible.helperColumns());
    }
    helpers.addAll(terms.names());
    frame = SeriesColumns.dropGridCheck(
        terms.addTo(frame).select(columns.toArray(new Column[0])).drop(helpers.toArray(new String[0])), input);
    Optional<CalendarStage> calendar = calendarStage();
    return calendar.isPresent() ? calendar.get().transform(frame) : frame;
  }

  /**
   * The Spark SQL equivalent of this builder's load, lag, delta, rolling and target columns, reading
   * the raw load contract from the view {@code rawLoadView} ({@code nowcast features --explain-sql}).
   */
  public String explainSql(String rawLoadView) {
    return FeatureSql.explain(spec, rawLoadView);
  }

  /** The features of {@code rawLoad} (raw load contract), optionally with {@code rawWeather}. */
  public Dataset<Row> build(Dataset<Row> rawLoad, Optional<Dataset<Row>> rawWeather) {
    Dataset<Row> series =
        rawLoad.select(
            col(RawLoadTable.REGION).as(SeriesColumns.REGION),
            col(RawLoadTable.TS).as(SeriesColumns.TS),
            col(RawLoadTable.LOAD_MW).as(SeriesColumns.LOAD));
    Dataset<Row> grid =
        new RegularGridStage().setStepMinutes(spec.stepMinutes()).transform(series);
    Dataset<Row> withWeather =
        rawWeather.map(weather -> WeatherAligner.align(grid, weather, regions)).orElse(grid);
    Dataset<Row> chunked = SeriesChunks.cut(withWeather, SeriesChunks.lookbackMinutes(spec), SeriesChunks.lookaheadMinutes(spec));
    Dataset<Row> features = SeriesChunks.keepOwn(applyStages(chunked));
    return features
        .select(tableOrder(withWeather.columns(), features.columns()))
        .withColumnRenamed(SeriesColumns.TS, FeatureTable.ISSUE_TS);
  }

  /**
   * The table's column order (a projection, no cost): the pipeline's input columns (region, ts,
   * is_missing, aligned weather) without the load, then load_now, lags, deltas, rolling mean/std,
   * rolling min/max, calendar, the other features, and the targets last.
   */
  private Column[] tableOrder(String[] inputColumns, String[] pipelineColumns) {
    List<String> order = new ArrayList<>();
    for (String column : inputColumns) {
      if (!column.equals(SeriesColumns.LOAD)) {
        order.add(column);
      }
    }
    order.add(FeatureTable.LOAD_NOW);
    spec.lagMinutes().forEach(m -> order.add(FeatureTable.lag(m)));
    spec.deltaMinutes().forEach(m -> order.add(FeatureTable.delta(m)));
    spec.windowMinutes().forEach(w -> order.addAll(List.of(FeatureTable.rollingMean(w), FeatureTable.rollingStd(w))));
    spec.windowMinutes().forEach(w -> order.addAll(List.of(FeatureTable.rollingMin(w), FeatureTable.rollingMax(w))));
    List<String> targets = FeatureTable.targets(spec.horizons());
    List<String> present = List.of(pipelineColumns);
    Set<String> ordered = new LinkedHashSet<>();
    order.stream().filter(present::contains).forEach(ordered::add);
    present.stream().filter(c -> c.startsWith("cal_")).forEach(ordered::add);
    present.stream()
        .filter(c -> !targets.contains(c) && !c.equals(SeriesColumns.LOAD) && !c.equals(SeriesColumns.CHUNK))
        .forEach(ordered::add);
    targets.stream().filter(present::contains).forEach(ordered::add);
    // The month last: it is the chunk key the windows were partitioned by, so the rows arrive
    // grouped by month and the month-partitioned writer needs no sort of its own.
    ordered.add(SeriesColumns.CHUNK);
    return ordered.stream().map(functions::col).toArray(Column[]::new);
  }

  /** {@code yyyy-MM} of {@code ts} in UTC, whatever the session time zone (SeriesChunks.utcMonth). */
  static Column utcMonth(Column ts) {
    return SeriesChunks.utcMonth(ts);
  }

  private static int[] toArray(java.util.List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
