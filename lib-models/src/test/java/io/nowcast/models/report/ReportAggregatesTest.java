package io.nowcast.models.report;

import static io.nowcast.models.report.EvaluationFixture.ISO;
import static io.nowcast.models.report.EvaluationFixture.PERSISTENCE;
import static io.nowcast.models.report.EvaluationFixture.XGB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.ForecastModel;
import io.nowcast.models.report.EvaluationFixture.Pred;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Spark aggregates behind the charts, each checked against a plain loop over the same rows. */
class ReportAggregatesTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static SparkSession spark;
  private static List<Pred> preds;
  private static Dataset<Row> rows;

  @BeforeAll
  static void data() {
    spark = SparkTestSession.get();
    preds = EvaluationFixture.rows(7);
    rows = EvaluationFixture.dataset(spark, preds).cache();
  }

  @Test
  void errorByHorizonEqualsLoop() {
    ErrorByHorizon errors = ErrorByHorizon.compute(rows);
    Map<String, double[]> expected = new HashMap<>(); // sum |e|, n, sum |e|/a·100, n with a>0
    for (Pred p : EvaluationFixture.usable(preds)) {
      double[] acc = expected.computeIfAbsent(p.model() + "@" + p.horizon(), k -> new double[4]);
      double error = Math.abs(p.p50() - p.actual());
      acc[0] += error;
      acc[1]++;
      if (p.actual() > 0) {
        acc[2] += 100 * error / p.actual();
        acc[3]++;
      }
    }
    assertEquals(expected.size(), errors.entries().size());
    assertEquals(List.of(ISO, PERSISTENCE, XGB), errors.models());
    assertEquals(List.of(15, 60), errors.horizons());
    for (ErrorByHorizon.Entry e : errors.entries()) {
      double[] acc = expected.get(e.model() + "@" + e.horizonMin());
      assertEquals((long) acc[1], e.count(), e.toString());
      assertEquals(acc[0] / acc[1], e.maeMw(), 1e-9, e.toString());
      assertEquals(acc[2] / acc[3], e.mapePct(), 1e-9, e.toString());
    }
    // The fixture makes the quantile model the most accurate, and errors grow with the horizon.
    assertTrue(errors.get(XGB, 15).orElseThrow().maeMw() < errors.get(PERSISTENCE, 15).orElseThrow().maeMw());
    assertTrue(errors.get(XGB, 15).orElseThrow().maeMw() < errors.get(XGB, 60).orElseThrow().maeMw());
  }

  @Test
  void errorByLocalHourEqualsLoopAcrossTheDstChange() {
    ErrorByHourOfDay errors = ErrorByHourOfDay.compute(rows, NEW_YORK, OptionalInt.of(60));
    Map<String, double[]> expected = new HashMap<>();
    Set<Integer> hoursSeen = new HashSet<>();
    for (Pred p : EvaluationFixture.usable(preds)) {
      if (p.horizon() != 60) {
        continue;
      }
      int hour = p.target().atZone(NEW_YORK).getHour();
      hoursSeen.add(hour);
      double[] acc = expected.computeIfAbsent(p.model() + "@" + hour, k -> new double[2]);
      acc[0] += Math.abs(p.p50() - p.actual());
      acc[1]++;
    }
    assertEquals(24, hoursSeen.size());
    assertEquals(expected.size(), errors.entries().size());
    for (ErrorByHourOfDay.Entry e : errors.entries()) {
      double[] acc = expected.get(e.model() + "@" + e.hour());
      assertEquals((long) acc[1], e.count(), e.toString());
      assertEquals(acc[0] / acc[1], e.maeMw(), 1e-9, e.toString());
    }
    // UTC hours differ from New York's: the zone is really applied (a shift of 4–5 hours).
    ErrorByHourOfDay utc = ErrorByHourOfDay.compute(rows, ZoneId.of("UTC"), OptionalInt.of(60));
    assertEquals(utc.get(XGB, 5).orElseThrow().maeMw(),
        expectedMae(preds, XGB, 60, p -> p.target().atZone(ZoneId.of("UTC")).getHour() == 5), 1e-9);
  }

  @Test
  void localHourIsRightWhateverTheSessionTimeZone() {
    String before = spark.conf().get("spark.sql.session.timeZone");
    try {
      // Sessions in zones with and without DST of their own; every hour, the DST change included.
      for (String sessionZone : List.of("Asia/Kolkata", "America/Los_Angeles")) {
        spark.conf().set("spark.sql.session.timeZone", sessionZone);
        ErrorByHourOfDay errors = ErrorByHourOfDay.compute(rows, NEW_YORK, OptionalInt.empty());
        for (int hour = 0; hour < 24; hour++) {
          int h = hour;
          assertEquals(expectedMae(preds, PERSISTENCE, null, p -> p.target().atZone(NEW_YORK).getHour() == h),
              errors.get(PERSISTENCE, hour).orElseThrow().maeMw(), 1e-9, sessionZone + " hour " + hour);
        }
      }
    } finally {
      spark.conf().set("spark.sql.session.timeZone", before);
    }
  }

  @Test
  void residualHistogramBinsEqualLoopWithEdgeBinsCatchingTheTails() {
    double width = 25;
    double low = -120;
    double high = 130;
    ResidualHistogram histogram = ResidualHistogram.compute(rows, OptionalInt.of(15), width, low, high);
    long first = (long) Math.floor(low / width);
    long last = (long) Math.floor(high / width);
    assertEquals(first, histogram.firstBin());
    assertEquals(last, histogram.lastBin());
    Map<String, long[]> expected = new TreeMap<>();
    long clamped = 0;
    for (Pred p : EvaluationFixture.usable(preds)) {
      if (p.horizon() != 15) {
        continue;
      }
      long bin = (long) Math.floor((p.p50() - p.actual()) / width);
      if (bin < first || bin > last) {
        clamped++;
      }
      bin = Math.max(first, Math.min(last, bin));
      expected.computeIfAbsent(p.model(), k -> new long[(int) (last - first + 1)])[(int) (bin - first)]++;
    }
    assertTrue(clamped > 0, "the range must cut some tails for this test to mean something");
    assertEquals(expected.keySet(), Set.copyOf(histogram.models()));
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      assertEquals(java.util.Arrays.toString(e.getValue()), java.util.Arrays.toString(histogram.counts(e.getKey())));
    }
  }

  @Test
  void residualHistogramAutomaticWidthIsANiceStepAndCountsEveryRow() {
    ResidualHistogram histogram = ResidualHistogram.compute(rows, OptionalInt.empty());
    double width = histogram.binWidthMw();
    double mantissa = width / Math.pow(10, Math.floor(Math.log10(width)));
    assertTrue(Set.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-9), "width " + width);
    long bins = histogram.lastBin() - histogram.firstBin() + 1;
    assertTrue(bins >= ResidualHistogram.AUTO_BINS / 2.5 && bins <= ResidualHistogram.AUTO_BINS + 2, "bins " + bins);
    Map<String, Long> perModel = EvaluationFixture.usable(preds).stream()
        .collect(Collectors.groupingBy(Pred::model, Collectors.counting()));
    for (String model : perModel.keySet()) {
      assertEquals(perModel.get(model), histogram.total(model), model);
    }
    ResidualHistogram fixed = ResidualHistogram.compute(rows, OptionalInt.empty(), OptionalDouble.of(7.5));
    assertEquals(7.5, fixed.binWidthMw());
    assertEquals(perModel.get(XGB), fixed.total(XGB));
  }

  @Test
  void niceWidthsRoundUpToOneTwoFive() {
    assertEquals(1.0, ResidualHistogram.niceWidth(0.7), 1e-12);
    assertEquals(2.0, ResidualHistogram.niceWidth(1.2), 1e-12);
    assertEquals(50.0, ResidualHistogram.niceWidth(23), 1e-12);
    assertEquals(100.0, ResidualHistogram.niceWidth(51), 1e-12);
    assertEquals(0.05, ResidualHistogram.niceWidth(0.041), 1e-12);
  }

  @Test
  void tooManyBinsOrABadWidthFailClearly() {
    IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
        () -> ResidualHistogram.compute(rows, OptionalInt.empty(), 0.01, -100, 100));
    assertTrue(many.getMessage().contains("over the limit of 1000"), many.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> ResidualHistogram.compute(rows, OptionalInt.empty(), 0, -100, 100));
    assertTrue(zero.getMessage().contains("must be > 0 MW"), zero.getMessage());
  }

  @Test
  void commonRowsKeepOnlyCellsEveryModelForecast() {
    Dataset<Row> common = EvaluationRows.commonRows(EvaluationRows.usable(rows));
    Map<String, Set<String>> modelsPerCell = new HashMap<>();
    for (Pred p : EvaluationFixture.usable(preds)) {
      modelsPerCell.computeIfAbsent(p.region() + p.target() + p.horizon(), k -> new HashSet<>()).add(p.model());
    }
    long expected = EvaluationFixture.usable(preds).stream()
        .filter(p -> modelsPerCell.get(p.region() + p.target() + p.horizon()).size() == 3)
        .count();
    assertTrue(expected > 0 && expected < EvaluationFixture.usable(preds).size());
    assertEquals(expected, common.count());
    Map<String, Long> byModel = common.groupBy("model").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(Map.of(XGB, expected / 3, PERSISTENCE, expected / 3, ISO, expected / 3), byModel);
  }

  @Test
  void sampleWeekCollectsTheRegionHorizonAndWindowOnly() {
    Instant start = Instant.parse("2019-03-10T00:00:00Z");
    SampleWeek week = SampleWeek.compute(rows, "N.Y.C.", 15, start);
    assertEquals(start.plus(Duration.ofDays(7)), week.end());
    List<Pred> expected = EvaluationFixture.usable(preds).stream()
        .filter(p -> p.region().equals("N.Y.C.") && p.horizon() == 15 && !p.target().isBefore(start))
        .toList();
    assertEquals(Set.of(XGB, PERSISTENCE, ISO), week.forecasts().keySet());
    for (String model : week.forecasts().keySet()) {
      List<Pred> mine = expected.stream().filter(p -> p.model().equals(model)).toList();
      List<SampleWeek.Forecast> got = week.forecasts().get(model);
      assertEquals(mine.size(), got.size(), model);
      for (int i = 0; i < mine.size(); i++) {
        assertEquals(mine.get(i).target(), got.get(i).targetTs());
        assertEquals(mine.get(i).p50(), got.get(i).p50(), 0);
        assertEquals(model.equals(XGB), got.get(i).hasBand());
      }
    }
    TreeMap<Instant, Double> actual = new TreeMap<>();
    expected.forEach(p -> actual.put(p.target(), p.actual()));
    assertEquals(new ArrayList<>(actual.keySet()), week.actual().stream().map(SampleWeek.Observation::targetTs).toList());
    assertEquals(new ArrayList<>(actual.values()), week.actual().stream().map(SampleWeek.Observation::mw).toList());

    Instant lastStart = SampleWeek.lastWeekStart(rows, "N.Y.C.", 15);
    Instant lastTarget = preds.stream().filter(p -> p.region().equals("N.Y.C.") && p.actual() != null && p.horizon() == 15)
        .map(Pred::target).max(Instant::compareTo).orElseThrow();
    assertTrue(lastStart.plus(Duration.ofDays(7)).isAfter(lastTarget));
    assertTrue(!lastStart.isAfter(lastTarget.minus(Duration.ofDays(7)).plusSeconds(1)));
  }

  @Test
  void overviewEqualsLoop() {
    EvaluationOverview overview = EvaluationOverview.of(EvaluationRows.usable(rows));
    assertEquals(List.of(ISO, PERSISTENCE, XGB), overview.models());
    assertEquals(List.of(15, 60), overview.horizons());
    for (String region : EvaluationFixture.REGIONS) {
      List<Pred> mine = EvaluationFixture.usable(preds).stream().filter(p -> p.region().equals(region)).toList();
      assertEquals(mine.stream().mapToDouble(Pred::actual).average().orElseThrow(),
          overview.meanActualMw().get(region), 1e-6);
      Instant last60 = mine.stream().filter(p -> p.horizon() == 60).map(Pred::target).max(Instant::compareTo).orElseThrow();
      assertEquals(last60.minus(Duration.ofDays(7)).plusSeconds(1), overview.lastWeekStart(region, 60));
    }
    assertEquals("TOTAL", overview.largestRegion());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> overview.lastWeekStart("MARS", 15));
    assertTrue(e.getMessage().contains("region MARS") && e.getMessage().contains("N.Y.C."), e.getMessage());
  }

  @Test
  void sampleWeekOfAnUnknownRegionFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleWeek.compute(rows, "MARS", 15, EvaluationFixture.FIRST_ISSUE));
    assertTrue(e.getMessage().contains("region MARS"), e.getMessage());
  }

  @Test
  void missingColumnsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ErrorByHorizon.compute(rows.drop("actual_mw", "horizon_min")));
    assertTrue(e.getMessage().contains("[horizon_min, actual_mw]"), e.getMessage());
    // Without p10/p90 columns the rows are still usable (point models only).
    assertEquals(ErrorByHorizon.compute(rows).entries(), ErrorByHorizon.compute(rows.drop("p10", "p90")).entries());
  }

  @Test
  void fromWideStacksEveryModelAndHorizon() {
    StructType schema = new StructType()
        .add("region", DataTypes.StringType).add("issue_ts", DataTypes.TimestampType)
        .add("y_h15", DataTypes.DoubleType).add("y_h30", DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn("xgb", 15), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn("xgb", 15, 0.1), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn("xgb", 15, 0.9), DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn("xgb", 30), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn("xgb", 30, 0.1), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn("xgb", 30, 0.9), DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn("persistence", 15), DataTypes.FloatType)
        .add(ForecastModel.forecastColumn("persistence", 30), DataTypes.DoubleType);
    Instant t = Instant.parse("2019-06-01T10:00:00Z");
    Dataset<Row> wide = spark.createDataFrame(List.of(
        RowFactory.create("A", Timestamp.from(t), 100.0, 110.0, 101.0, 99.0, 103.0, 108.0, 104.0, 112.0, 98f, 97.0),
        RowFactory.create("B", Timestamp.from(t), 50.0, null, 51.0, 49.0, 52.0, 55.0, 53.0, 57.0, 48f, 47.0)), schema);
    Dataset<Row> longRows = EvaluationRows.fromWide(wide, List.of("xgb", "persistence"), List.of(15, 30));
    assertEquals(List.of("region", "issue_ts", "horizon_min", "target_ts", "model", "p10", "p50", "p90", "actual_mw"),
        List.of(longRows.columns()));
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : longRows.collectAsList()) {
      byKey.put(r.getString(0) + "/" + r.getString(4) + "/" + r.getInt(2), r);
    }
    assertEquals(8, byKey.size());
    Row a30 = byKey.get("A/xgb/30");
    assertEquals(t.plus(Duration.ofMinutes(30)), a30.getTimestamp(3).toInstant());
    assertEquals(List.of(104.0, 108.0, 112.0, 110.0),
        List.of(a30.getDouble(5), a30.getDouble(6), a30.getDouble(7), a30.getDouble(8)));
    Row bPersist15 = byKey.get("B/persistence/15");
    assertTrue(bPersist15.isNullAt(5) && bPersist15.isNullAt(7));
    assertEquals(48.0, bPersist15.getDouble(6));
    assertTrue(byKey.get("B/xgb/30").isNullAt(8), "a missing target stays null");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvaluationRows.fromWide(wide, List.of("lstm"), List.of(15)));
    assertTrue(e.getMessage().contains("lacks column lstm_h15"), e.getMessage());
  }

  private static double expectedMae(List<Pred> all, String model, Integer horizon,
      java.util.function.Predicate<Pred> keep) {
    double sum = 0;
    int n = 0;
    for (Pred p : EvaluationFixture.usable(all)) {
      if (p.model().equals(model) && (horizon == null || p.horizon() == horizon) && keep.test(p)) {
        sum += Math.abs(p.p50() - p.actual());
        n++;
      }
    }
    return sum / n;
  }
}
