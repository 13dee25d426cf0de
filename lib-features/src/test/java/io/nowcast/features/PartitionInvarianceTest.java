package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6: the features are identical whatever the partitioning. The input is built into 1
 * partition in time order, and into 7 partitions in scrambled order with a different number of
 * shuffle partitions; the outputs must match row for row, every column exactly. Three weather stations
 * per region reporting at different minutes exercise the weighted combination (three addends, where
 * a partition-dependent summation order would show in the last bits). The spec's default groups are
 * on, so every stage's columns are compared, rolling min/max (with its backward-in-time pass) included.
 */
class PartitionInvarianceTest {

  @Test
  void featureBuilderOutputDoesNotDependOnPartitioning() {
    SparkSession spark = Frames.spark();
    SyntheticSpec synthetic = new SyntheticSpec(3, LocalDate.of(2023, 11, 1), 3, 9L);
    Dataset<Row> load =
        SyntheticGenerator.load(spark, synthetic, RegionMap.synthetic(2))
            .where(not(pmod(xxhash64(col(RawLoadTable.REGION), col(RawLoadTable.TS)), lit(23)).equalTo(0)))
            .withColumn(
                RawLoadTable.LOAD_MW,
                when(pmod(xxhash64(col(RawLoadTable.TS)), lit(31)).equalTo(0), lit(null).cast(DataTypes.DoubleType))
                    .otherwise(col(RawLoadTable.LOAD_MW)));
    // Stations SYNWX-1..3, hourly; shift SYNWX-2 by 7 min and SYNWX-3 by 13.5 min.
    Dataset<Row> weather =
        SyntheticGenerator.weather(spark, synthetic, RegionMap.synthetic(3))
            .withColumn(
                RawWeatherTable.TS,
                expr("CASE station WHEN 'SYNWX-2' THEN ts + INTERVAL 7 MINUTES"
                    + " WHEN 'SYNWX-3' THEN ts + INTERVAL 810 SECONDS ELSE ts END"));
    RegionMap regions =
        new RegionMap(
            List.of(
                new Region("SYN-1", ZoneId.of("America/New_York"), "US-NY",
                    Map.of("SYNWX-1", 0.7, "SYNWX-2", 0.2, "SYNWX-3", 0.1)),
                new Region("SYN-2", ZoneId.of("America/Chicago"), "US",
                    Map.of("SYNWX-3", 1.3, "SYNWX-1", 0.45, "SYNWX-2", 0.25))));
    FeatureSpec spec =
        new FeatureSpec(5, List.of(5, 15, 60, 1425, 1440), List.of(15, 60, 1440), List.of(15, 30, 45, 60));
    FeatureBuilder builder = new FeatureBuilder(spec, regions);

    List<Row> one =
        builder.build(load.orderBy("region", "ts").coalesce(1), Optional.of(weather.orderBy("ts").coalesce(1)))
            .orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS)
            .collectAsList();
    String shufflePartitions = spark.conf().get("spark.sql.shuffle.partitions");
    List<Row> seven;
    Dataset<Row> features;
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "7");
      features =
          builder.build(
              load.orderBy(xxhash64(col("ts"), lit(1))).repartition(7),
              Optional.of(weather.orderBy(xxhash64(col("ts"), lit(2))).repartition(7)));
      seven = features.orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS).collectAsList();
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", shufflePartitions);
    }

    assertEquals(2 * 3 * 288, one.size(), "one row per region and 5-minute instant");
    assertEquals(one.size(), seven.size());
    for (int i = 0; i < one.size(); i++) {
      Frames.assertSameValues(one.get(i), seven.get(i), "row " + i);
    }
    // The comparison covered real values: weather, 1-day stats and targets are non-null somewhere.
    List<String> columns = List.of(features.columns());
    Map<String, Integer> atLeast = new java.util.LinkedHashMap<>();
    atLeast.put(WeatherAligner.TEMP_C, 700);
    atLeast.put(WeatherAligner.RH_PCT, 700);
    atLeast.put(FeatureTable.rollingStd(1440), 500);
    atLeast.put(FeatureTable.rollingMin(1440), 500);
    atLeast.put(FeatureTable.rollingMax(60), 1000);
    atLeast.put(FeatureTable.delta(5), 1000);
    atLeast.put(FeatureTable.delta(1440), 500);
    atLeast.put(CalendarStage.atTarget(CalendarStage.MINUTE_SIN, 45), 1700);
    atLeast.put(CalendarStage.DAYS_TO_HOLIDAY, 1700);
    atLeast.put(WeatherFeatureStage.tempDelta(180), 700);
    atLeast.put(WeatherFeatureStage.TEMP_X_RH, 700);
    atLeast.put(FeatureTable.target(60), 1000);
    atLeast.forEach(
        (name, count) -> {
          int index = columns.indexOf(name);
          assertTrue(index >= 0, name + " is built");
          long nonNull = one.stream().filter(r -> !r.isNullAt(index)).count();
          assertTrue(nonNull > count, name + " non-null in " + nonNull + " rows");
        });
  }
}
