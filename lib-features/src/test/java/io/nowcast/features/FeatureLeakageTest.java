package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.features.weather.WeatherFeatureStage;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.synth.SyntheticGenerator;
import io.nowcast.ingest.synth.SyntheticSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §5 "No leakage": every feature at {@code issue_ts} uses only data with {@code ts <= issue_ts}.
 *
 * <p>Synthetic load and weather, 2 regions × 10 days (with gaps, nulls and an outage), default feature
 * spec (lags up to 1 week; rolling mean, std, min and max up to 1 week; deltas; calendar at issue and
 * target time; weather as of issue time and its deltas and derived values). For 20 random issue times (fixed seed) every load
 * and weather value stamped after the issue time is replaced by garbage (nulls and absurd values) — or,
 * for every fourth scenario, those rows are deleted — and the features are rebuilt. Every column but
 * the targets must be exactly equal (nulls included) at that issue time.
 *
 * <p>The 20 rebuilds run as one Spark job: scenario {@code k} renames region {@code R} to
 * {@code R#k} and its station {@code S} to {@code S#k}, so the scenarios are independent series in
 * one input (each is an ordinary rebuild; features are per region by design, and a stage that mixed
 * regions would fail this test too).
 */
class FeatureLeakageTest {
  private static final int SCENARIOS = 20;
  private static final LocalDate START = LocalDate.of(2023, 6, 28); // includes July 4th
  private static final int DAYS = 10;

  @Test
  void featuresAtIssueTimeDoNotChangeWhenLaterDataChanges() {
    SparkSession spark = Frames.spark();
    RegionMap regions = RegionMap.synthetic(2);
    SyntheticSpec synthetic = new SyntheticSpec(2, START, DAYS, 5L);
    Dataset<Row> load = withGaps(SyntheticGenerator.load(spark, synthetic, regions)).cache();
    Dataset<Row> weather =
        SyntheticGenerator.weather(spark, synthetic, regions)
            .where(not(pmod(xxhash64(col(RawWeatherTable.STATION), col(RawWeatherTable.TS)), lit(9)).equalTo(0)))
            .cache();
    FeatureSpec spec = FeatureSpec.defaults();

    // Issue times: random grid instants over the 10 days, fixed seed.
    Random random = new Random(20240229L);
    Instant first = START.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    TreeSet<Integer> steps = new TreeSet<>();
    while (steps.size() < SCENARIOS) {
      steps.add(random.nextInt(DAYS * 288));
    }
    List<Instant> issues = new ArrayList<>();
    steps.forEach(step -> issues.add(first.plusSeconds(300L * step)));

    List<Row> scenarioRows = new ArrayList<>();
    List<Region> scenarioRegions = new ArrayList<>();
    for (int k = 0; k < SCENARIOS; k++) {
      scenarioRows.add(RowFactory.create(k, Timestamp.from(issues.get(k)), k % 4 == 3));
      String suffix = "#" + k;
      for (Region region : regions.all()) {
        Map<String, Double> stations = new HashMap<>();
        region.stations().forEach((station, weight) -> stations.put(station + suffix, weight));
        scenarioRegions.add(
            new Region(region.name() + suffix, region.zone(), region.holidayCalendar(), stations));
      }
    }
    Dataset<Row> scenarios =
        spark.createDataFrame(
            scenarioRows,
            new StructType()
                .add("_k", DataTypes.IntegerType)
                .add("_issue", DataTypes.TimestampType)
                .add("_truncate", DataTypes.BooleanType));

    Dataset<Row> alteredLoad =
        load.crossJoin(scenarios)
            .where(not(col("_truncate").and(col(RawLoadTable.TS).gt(col("_issue")))))
            .withColumn(RawLoadTable.REGION, concat(col(RawLoadTable.REGION), lit("#"), col("_k")))
            .withColumn(
                RawLoadTable.LOAD_MW,
                when(col(RawLoadTable.TS).gt(col("_issue")), garbage(col(RawLoadTable.TS), col("_k")))
                    .otherwise(col(RawLoadTable.LOAD_MW)))
            .drop("_k", "_issue", "_truncate");
    Dataset<Row> alteredWeather =
        weather.crossJoin(scenarios)
            .where(not(col("_truncate").and(col(RawWeatherTable.TS).gt(col("_issue")))))
            .withColumn(RawWeatherTable.STATION, concat(col(RawWeatherTable.STATION), lit("#"), col("_k")));
    for (String value :
        List.of(RawWeatherTable.TEMP_C, RawWeatherTable.DEWPOINT_C, RawWeatherTable.RH_PCT,
            RawWeatherTable.WIND_MPS, RawWeatherTable.PRESSURE_HPA, RawWeatherTable.PRECIP_MM)) {
      alteredWeather =
          alteredWeather.withColumn(
              value,
              when(col(RawWeatherTable.TS).gt(col("_issue")), garbage(col(RawWeatherTable.TS), col("_k")))
                  .otherwise(col(value)));
    }
    alteredWeather = alteredWeather.drop("_k", "_issue", "_truncate");

    Dataset<Row> baseline =
        new FeatureBuilder(spec, regions).build(load, Optional.of(weather));
    Dataset<Row> altered =
        new FeatureBuilder(spec, new RegionMap(scenarioRegions)).build(alteredLoad, Optional.of(alteredWeather));
    assertEquals(List.of(baseline.columns()), List.of(altered.columns()));

    // Collect the rows at each issue time, and 5 minutes after it (the control).
    List<Row> keyRows = new ArrayList<>();
    for (int k = 0; k < SCENARIOS; k++) {
      for (Region region : regions.all()) {
        for (long offset : new long[] {0, 300}) {
          Timestamp ts = Timestamp.from(issues.get(k).plusSeconds(offset));
          keyRows.add(RowFactory.create(region.name(), ts));
          keyRows.add(RowFactory.create(region.name() + "#" + k, ts));
        }
      }
    }
    Dataset<Row> keys =
        spark.createDataFrame(
            keyRows,
            new StructType()
                .add(FeatureTable.REGION, DataTypes.StringType)
                .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType));
    Map<String, Row> before =
        Frames.byRegionAndTs(
            baseline.join(keys.distinct(), new String[] {FeatureTable.REGION, FeatureTable.ISSUE_TS}, "left_semi")
                .withColumnRenamed(FeatureTable.ISSUE_TS, "ts"),
            "ts");
    Map<String, Row> after =
        Frames.byRegionAndTs(
            altered.join(keys.distinct(), new String[] {FeatureTable.REGION, FeatureTable.ISSUE_TS}, "left_semi")
                .withColumnRenamed(FeatureTable.ISSUE_TS, "ts"),
            "ts");

    String[] columns = baseline.columns();
    // Every stage group of the default spec is compared, the new ones named explicitly.
    List<String> mustCompare = new ArrayList<>();
    for (int w : spec.windowMinutes()) {
      mustCompare.addAll(List.of(FeatureTable.rollingMin(w), FeatureTable.rollingMax(w)));
    }
    spec.deltaMinutes().forEach(m -> mustCompare.add(FeatureTable.delta(m)));
    spec.weatherDeltaMinutes().forEach(m -> mustCompare.add(WeatherFeatureStage.tempDelta(m)));
    mustCompare.addAll(
        List.of(CalendarStage.DAYS_TO_HOLIDAY, CalendarStage.DAYS_FROM_HOLIDAY, WeatherAligner.RH_PCT,
            WeatherFeatureStage.CDD, WeatherFeatureStage.HDD, WeatherFeatureStage.TEMP_SQUARED,
            WeatherFeatureStage.TEMP_X_RH));
    for (int h : spec.horizons()) {
      CalendarStage.AT_TARGET.forEach(c -> mustCompare.add(CalendarStage.atTarget(c, h)));
    }
    assertTrue(List.of(columns).containsAll(mustCompare), "compared columns: " + List.of(columns));
    int featureColumns = 0;
    int targetsChanged = 0;
    int controlsChanged = 0;
    Map<String, Integer> nonNull = new HashMap<>();
    for (int k = 0; k < SCENARIOS; k++) {
      for (Region region : regions.all()) {
        Instant issue = issues.get(k);
        Row b = before.get(Frames.key(region.name(), issue));
        Row a = after.get(Frames.key(region.name() + "#" + k, issue));
        assertNotNull(b, "baseline row " + region.name() + " " + issue);
        assertNotNull(a, "altered row " + region.name() + "#" + k + " " + issue);
        featureColumns = 0;
        for (int c = 0; c < columns.length; c++) {
          String name = columns[c];
          if (name.equals(FeatureTable.REGION)) {
            continue;
          }
          if (name.startsWith("y_h")) {
            targetsChanged += java.util.Objects.equals(b.get(c), a.get(c)) ? 0 : 1;
            continue;
          }
          featureColumns++;
          assertEquals(
              b.get(c), a.get(c),
              "scenario " + k + (k % 4 == 3 ? " (truncated)" : " (garbage)") + ": " + name + " of "
                  + region.name() + " at " + issue + " changed");
          if (b.get(c) != null) {
            nonNull.merge(name, 1, Integer::sum);
          }
        }
        // Control: 5 minutes later the altered data is visible, so the harness can see changes.
        Row bLater = before.get(Frames.key(region.name(), issue.plusSeconds(300)));
        Row aLater = after.get(Frames.key(region.name() + "#" + k, issue.plusSeconds(300)));
        if (bLater != null && aLater != null
            && !java.util.Objects.equals(
                bLater.getAs(FeatureTable.LOAD_NOW), aLater.getAs(FeatureTable.LOAD_NOW))) {
          controlsChanged++;
        }
      }
    }
    assertTrue(featureColumns > 25, "feature columns compared: " + featureColumns);
    for (int c = 0; c < columns.length; c++) {
      String name = columns[c];
      if (!name.equals(FeatureTable.REGION) && !name.startsWith("y_h")) {
        assertTrue(nonNull.getOrDefault(name, 0) > 0, name + " was null at every issue time");
      }
    }
    assertTrue(targetsChanged > SCENARIOS, "the alteration reached the targets: " + targetsChanged);
    assertTrue(controlsChanged > SCENARIOS, "the alteration is visible 5 min later: " + controlsChanged);
    load.unpersist();
    weather.unpersist();
  }

  /** Gaps (absent rows), explicit nulls and a 3-hour outage of SYN-1 on day 3. */
  private static Dataset<Row> withGaps(Dataset<Row> load) {
    Column hash = xxhash64(col(RawLoadTable.REGION), col(RawLoadTable.TS));
    Timestamp outageFrom = Timestamp.from(Instant.parse("2023-06-30T10:00:00Z"));
    Timestamp outageTo = Timestamp.from(Instant.parse("2023-06-30T13:00:00Z"));
    Column outage =
        col(RawLoadTable.REGION).equalTo("SYN-1")
            .and(col(RawLoadTable.TS).geq(lit(outageFrom)))
            .and(col(RawLoadTable.TS).lt(lit(outageTo)));
    return load.where(not(pmod(hash, lit(41)).equalTo(0)).and(not(outage)))
        .withColumn(
            RawLoadTable.LOAD_MW,
            when(pmod(hash, lit(53)).equalTo(7), lit(null).cast(DataTypes.DoubleType))
                .otherwise(col(RawLoadTable.LOAD_MW)));
  }

  /** Nulls and absurd values, different per scenario and instant. */
  private static Column garbage(Column ts, Column k) {
    Column hash = xxhash64(ts, k);
    return when(pmod(hash, lit(5)).equalTo(0), lit(null).cast(DataTypes.DoubleType))
        .otherwise(lit(-9.0e5).minus(pmod(hash, lit(100_000)).cast(DataTypes.DoubleType)));
  }
}
