package io.nowcast.features;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.nowcast.features.Frames.Point;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.features.time.CalendarStage;
import io.nowcast.features.weather.WeatherAligner;
import io.nowcast.features.weather.WeatherFeatureStage;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The features table contract (DESIGN §4) end to end on a tiny input across a month boundary. */
class FeatureBuilderTest {

  @Test
  void featuresTableContractAndUtcMonthWhateverTheSessionTimeZone() {
    SparkSession spark = Frames.spark();
    Instant start = at("2023-10-31T22:00:00Z");
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 36; i++) { // 22:00 … 00:55 UTC, two regions, one gap
      if (i != 5) {
        points.add(new Point("NYC", start.plusSeconds(300L * i), 5000.0 + i));
        points.add(new Point("CHI", start.plusSeconds(300L * i), 800.0 - i));
      }
    }
    Dataset<Row> load = Frames.series(points);
    Dataset<Row> weather =
        spark.createDataFrame(
            List.of(RowFactory.create("KLGA", Timestamp.from(start), 11.5)),
            new StructType()
                .add(RawWeatherTable.STATION, DataTypes.StringType)
                .add(RawWeatherTable.TS, DataTypes.TimestampType)
                .add(RawWeatherTable.TEMP_C, DataTypes.DoubleType));
    RegionMap regions =
        new RegionMap(
            List.of(
                new Region("NYC", ZoneId.of("America/New_York"), "US-NY", Map.of("KLGA", 1.0)),
                new Region("CHI", ZoneId.of("America/Chicago"), "US", Map.of())));
    FeatureSpec spec = new FeatureSpec(5, List.of(5, 60), List.of(15), List.of(15, 60));
    FeatureBuilder builder = new FeatureBuilder(spec, regions);

    Dataset<Row> features = builder.build(load, Optional.of(weather));
    List<Row> utc = features.orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS).collectAsList();
    String zone = spark.conf().get("spark.sql.session.timeZone");
    List<Row> newYork;
    try {
      spark.conf().set("spark.sql.session.timeZone", "America/New_York");
      newYork =
          builder.build(load, Optional.of(weather))
              .orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS)
              .collectAsList();
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
    }

    List<String> columns = List.of(features.columns());
    List<String> expected =
        new ArrayList<>(
            List.of(
                FeatureTable.REGION, FeatureTable.ISSUE_TS, FeatureTable.IS_MISSING, WeatherAligner.TEMP_C,
                WeatherAligner.WEATHER_AGE_MIN, WeatherAligner.RH_PCT, WeatherAligner.DEWPOINT_C,
                FeatureTable.LOAD_NOW, FeatureTable.lag(5), FeatureTable.lag(60), FeatureTable.delta(5),
                FeatureTable.delta(1440), FeatureTable.delta(10080), FeatureTable.rollingMean(15),
                FeatureTable.rollingStd(15), FeatureTable.rollingMin(15), FeatureTable.rollingMax(15),
                CalendarStage.HOUR, CalendarStage.DAY_OF_WEEK, CalendarStage.MONTH, CalendarStage.WEEKEND,
                CalendarStage.HOLIDAY, CalendarStage.MINUTE_SIN, CalendarStage.MINUTE_COS,
                CalendarStage.DAYS_TO_HOLIDAY, CalendarStage.DAYS_FROM_HOLIDAY));
    for (int h : new int[] {15, 60}) {
      for (String column : CalendarStage.AT_TARGET) {
        expected.add(CalendarStage.atTarget(column, h));
      }
    }
    expected.addAll(
        List.of(
            WeatherFeatureStage.tempDelta(60), WeatherFeatureStage.tempDelta(120),
            WeatherFeatureStage.tempDelta(180), WeatherFeatureStage.CDD, WeatherFeatureStage.HDD,
            WeatherFeatureStage.TEMP_SQUARED, WeatherFeatureStage.TEMP_X_RH, FeatureTable.target(15),
            FeatureTable.target(60), FeatureTable.MONTH));
    assertEquals(expected, columns);
    assertFalse(columns.contains(SeriesColumns.LOAD));
    assertEquals(2 * 36, utc.size(), "one row per region and grid instant, the gap included");
    for (int i = 0; i < utc.size(); i++) {
      Row row = utc.get(i);
      Instant issue = ((Timestamp) row.getAs(FeatureTable.ISSUE_TS)).toInstant();
      String expectedMonth = issue.isBefore(at("2023-11-01T00:00:00Z")) ? "2023-10" : "2023-11";
      assertEquals(expectedMonth, row.getAs(FeatureTable.MONTH), "month of " + issue + " in UTC");
      Frames.assertSameValues(row, newYork.get(i), "row " + i + " under a New York session zone");
    }
    Row gap = utc.stream()
        .filter(r -> r.getAs(FeatureTable.REGION).equals("NYC")
            && ((Timestamp) r.getAs(FeatureTable.ISSUE_TS)).toInstant().equals(start.plusSeconds(1500)))
        .findFirst().orElseThrow();
    assertEquals(1, (int) gap.getAs(FeatureTable.IS_MISSING));
    // 2023-10-31 22:25 UTC is 18:25 EDT in New York.
    assertEquals(18, (int) gap.getAs(CalendarStage.HOUR));
  }
}
