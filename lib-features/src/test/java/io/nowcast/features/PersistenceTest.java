package io.nowcast.features;

import static io.nowcast.features.Frames.at;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.Frames.Point;
import io.nowcast.features.grid.RegularGridStage;
import io.nowcast.features.load.LoadDeltaStage;
import io.nowcast.features.load.LoadLagStage;
import io.nowcast.features.load.RollingExtremaStage;
import io.nowcast.features.load.RollingStatsStage;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.target.TargetStage;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.features.weather.WeatherFeatureStage;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stage, and the builder's series pipeline, survives save → load with equal params and output. */
class PersistenceTest {
  private static Dataset<Row> raw;
  private static Dataset<Row> grid;
  private static Dataset<Row> gridWithWeather;

  @TempDir Path dir;

  @BeforeAll
  static void data() {
    List<Point> points = new ArrayList<>();
    Instant start = at("2019-07-04T02:00:00Z");
    for (String region : List.of("NYC", "LA")) {
      for (int i = 0; i < 60; i++) {
        if (i % 11 == 4) {
          continue;
        }
        points.add(new Point(region, start.plusSeconds(300L * i), (region.equals("NYC") ? 900 : 400) + Math.sin(i / 5.0) * 40 + i % 3));
      }
    }
    raw = Frames.series(points);
    grid = new RegularGridStage().transform(raw).cache();
    gridWithWeather =
        grid.withColumn(WeatherAligner.TEMP_C, expr("20 + 5 * sin(unix_seconds(ts) / 3000.0)"))
            .withColumn(WeatherAligner.RH_PCT, expr("60 + 10 * cos(unix_seconds(ts) / 2000.0)"));
  }

  private static List<Row> sorted(Dataset<Row> frame) {
    return frame.orderBy("region", "ts").collectAsList();
  }

  private static void assertSameParams(Params expected, Params actual) {
    assertEquals(expected.uid(), actual.uid());
    assertEquals(expected.getClass(), actual.getClass());
    assertEquals(expected.params().length, actual.params().length);
    assertTrue(expected.params().length > 0, "the stage exposes its params to Spark ML");
    for (Param<?> param : expected.params()) {
      Param<Object> theirs = actual.getParam(param.name());
      assertEquals(expected.isSet(param), actual.isSet(theirs), param.name() + " set");
      Object mine = expected.getOrDefault(param);
      Object loaded = actual.getOrDefault(theirs);
      if (mine instanceof int[] ints) {
        assertArrayEquals(ints, (int[]) loaded, param.name());
      } else if (mine instanceof String[] strings) {
        assertArrayEquals(strings, (String[]) loaded, param.name());
      } else {
        assertEquals(mine, loaded, param.name());
      }
    }
  }

  private static void assertSameOutput(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(List.of(expected.columns()), List.of(actual.columns()));
    List<Row> e = sorted(expected);
    List<Row> a = sorted(actual);
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i++) {
      Frames.assertSameValues(e.get(i), a.get(i), "row " + i);
    }
  }

  private <T extends FeatureStage> void roundTrip(
      T stage, Function<String, T> load, Dataset<Row> input) throws Exception {
    // The declared output schema is the real one (names, types, order).
    Frames.assertSameColumns(stage.transformSchema(input.schema()), stage.transform(input).schema());
    String path = dir.resolve(stage.uid()).toString();
    stage.write().save(path);
    T loaded = load.apply(path);
    assertNotSame(stage, loaded);
    assertSameParams(stage, loaded);
    assertSameOutput(stage.transform(input), loaded.transform(input));
  }

  @Test
  void regularGridStage() throws Exception {
    roundTrip(new RegularGridStage().setStepMinutes(10), RegularGridStage::load, raw);
  }

  @Test
  void loadLagStage() throws Exception {
    roundTrip(new LoadLagStage().setLagsMinutes(new int[] {5, 15, 60}), LoadLagStage::load, grid);
  }

  @Test
  void rollingStatsStage() throws Exception {
    roundTrip(new RollingStatsStage().setWindowsMinutes(new int[] {15, 60}), RollingStatsStage::load, grid);
  }

  @Test
  void rollingExtremaStage() throws Exception {
    roundTrip(new RollingExtremaStage().setWindowsMinutes(new int[] {15, 60}), RollingExtremaStage::load, grid);
  }

  @Test
  void loadDeltaStage() throws Exception {
    roundTrip(new LoadDeltaStage().setDeltasMinutes(new int[] {5, 30}), LoadDeltaStage::load, grid);
  }

  @Test
  void weatherFeatureStage() throws Exception {
    roundTrip(
        new WeatherFeatureStage()
            .setDeltasMinutes(new int[] {60})
            .setDegreeDayBaseC(17.5)
            .setAtTargetActual(true)
            .setHorizonsMinutes(new int[] {15}),
        WeatherFeatureStage::load,
        gridWithWeather);
  }

  @Test
  void calendarStage() throws Exception {
    roundTrip(
        new CalendarStage()
            .setRegionZones(new String[] {"NYC=America/New_York", "LA=America/Los_Angeles"})
            .setRegionCalendars(new String[] {"NYC=US-NY", "LA=US-CA"})
            .setDefaultCalendar("US-NY")
            .setTargetHorizonsMinutes(new int[] {15, 60}),
        CalendarStage::load,
        grid);
  }

  @Test
  void targetStage() throws Exception {
    roundTrip(new TargetStage().setHorizonsMinutes(new int[] {15, 30}), TargetStage::load, grid);
  }

  @Test
  void defaultsOnlyStageKeepsItsDefaults() throws Exception {
    // Nothing set: the loaded stage must report the same defaults (and nothing as explicitly set).
    roundTrip(new LoadLagStage(), LoadLagStage::load, grid);
  }

  @Test
  void featureBuilderSeriesPipeline() throws Exception {
    PipelineModel pipeline = smallBuilder().seriesPipeline(gridWithWeather);
    String path = dir.resolve("series-pipeline").toString();
    pipeline.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);

    assertEquals(pipeline.uid(), loaded.uid());
    assertEquals(pipeline.stages().length, loaded.stages().length);
    for (int i = 0; i < pipeline.stages().length; i++) {
      Transformer mine = pipeline.stages()[i];
      assertSameParams(mine, loaded.stages()[i]);
    }
    Dataset<Row> expected = pipeline.transform(gridWithWeather);
    Frames.assertSameColumns(pipeline.transformSchema(gridWithWeather.schema()), expected.schema());
    assertSameOutput(expected, loaded.transform(gridWithWeather));
    assertTrue(List.of(expected.columns()).containsAll(
        List.of(FeatureTable.lag(45), FeatureTable.rollingStd(60), FeatureTable.rollingMax(60),
            FeatureTable.delta(5), CalendarStage.HOLIDAY, CalendarStage.atTarget(CalendarStage.HOUR, 30),
            WeatherFeatureStage.tempDelta(60), FeatureTable.target(30))));
  }

  @Test
  void fusedBuildEqualsTheStageByStagePipelineInFewerWindowPasses() {
    FeatureBuilder builder = smallBuilder();
    Dataset<Row> stageByStage = builder.seriesPipeline(gridWithWeather).transform(gridWithWeather);
    Dataset<Row> fused = builder.applyStages(gridWithWeather);
    assertEquals(List.of(stageByStage.columns()), List.of(fused.columns()));
    assertSameOutput(stageByStage, fused);
    long fusedWindows = windowOperators(fused);
    long stagedWindows = windowOperators(stageByStage);
    // Fused: the extrema's backward pass, the grid helpers, the one shared forward pass (plus the
    // calendar's holiday-table windows, the same in both).
    assertTrue(fusedWindows + 3 <= stagedWindows, "fused " + fusedWindows + " vs staged " + stagedWindows);
  }

  /** A builder of every feature group over two regions of different zones and holiday calendars. */
  private static FeatureBuilder smallBuilder() {
    RegionMap regions =
        new RegionMap(
            List.of(
                new Region("NYC", ZoneId.of("America/New_York"), "US-NY", Map.of("KLGA", 1.0)),
                new Region("LA", ZoneId.of("America/Los_Angeles"), "US-CA", Map.of("KLAX", 1.0))));
    return new FeatureBuilder(
        new FeatureSpec(5, List.of(5, 10, 45), List.of(15, 60), List.of(15, 30)), regions);
  }

  private static long windowOperators(Dataset<Row> frame) {
    String plan = frame.queryExecution().executedPlan().toString();
    return java.util.regex.Pattern.compile("\\bWindow \\[").matcher(plan).results().count();
  }
}
