package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.unix_seconds;

import io.nowcast.features.grid.RegularGridStage;
import io.nowcast.features.load.LoadLagStage;
import io.nowcast.features.load.RollingStatsStage;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.target.TargetStage;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.region.RegionMap;
import java.util.Optional;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds the features table from raw load (and, when given, raw weather): regular grid → weather as-of
 * alignment → lags → rolling statistics → calendar → targets. A pure function of its inputs: it only
 * builds a lazy plan, the caller decides where to write it.
 *
 * <p>Invariants: one row per region and grid instant; every column except the targets {@code y_h*}
 * at {@code issue_ts} depends only on load and weather stamped at or before {@code issue_ts}; the
 * output does not depend on the partitioning of the inputs or on the session time zone.
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
   * against the schema of {@code input}.
   */
  public PipelineModel seriesPipeline(Dataset<Row> input) {
    PipelineStage[] stages = {
      new LoadLagStage()
          .setStepMinutes(spec.stepMinutes())
          .setLagsMinutes(toArray(spec.lagMinutes())),
      new RollingStatsStage()
          .setStepMinutes(spec.stepMinutes())
          .setWindowsMinutes(toArray(spec.windowMinutes())),
      new CalendarStage()
          .setRegionZones(
              regions.all().stream().map(r -> r.name() + "=" + r.zone().getId()).toArray(String[]::new))
          .setRegionCalendars(
              regions.all().stream().map(r -> r.name() + "=" + r.holidayCalendar()).toArray(String[]::new))
          .setDefaultZone("UTC")
          .setDefaultCalendar("US"),
      new TargetStage()
          .setStepMinutes(spec.stepMinutes())
          .setHorizonsMinutes(toArray(spec.horizons()))
    };
    // A pipeline of transformers only: fit() runs no Spark job, it just wraps the stages.
    return new Pipeline().setStages(stages).fit(input);
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
    Dataset<Row> features = seriesPipeline(withWeather).transform(withWeather);
    return features
        .withColumnRenamed(SeriesColumns.TS, FeatureTable.ISSUE_TS)
        .drop(SeriesColumns.LOAD)
        .withColumn(FeatureTable.MONTH, utcMonth(col(FeatureTable.ISSUE_TS)));
  }

  /**
   * {@code yyyy-MM} of {@code ts} in UTC, whatever the session time zone ({@code date_format} would
   * use the session zone): the UTC date from epoch days, cast to its ISO string.
   */
  static Column utcMonth(Column ts) {
    Column utcDay = floor(unix_seconds(ts).divide(86_400)).cast("int");
    return substring(date_from_unix_date(utcDay).cast("string"), 1, 7);
  }

  private static int[] toArray(java.util.List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
