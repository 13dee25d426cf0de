package io.nowcast.ingest.synth;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.nowcast.ingest.calendar.HolidayCalendars;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionMap;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Realistic synthetic load and weather for offline development, built from Spark SQL expressions only.
 *
 * <p>Load = base × daily shape (morning and evening peaks, local time) × weekend and holiday dips ×
 * temperature response (cooling above 21 °C, heating below 14 °C) × noise. The noise has a smooth part
 * (hourly random values interpolated linearly, so it persists for tens of minutes as real deviations
 * do) and a small white part. Temperature = annual cycle + diurnal cycle + two slow "weather system"
 * waves with a per-region phase. Randomness comes from {@code xxhash64(seed, region, time)}, not from
 * {@code rand()}, so the rows do not depend on partitioning or on the number of cores.
 */
public final class SyntheticGenerator {
  /** The {@code source} value of synthetic rows. */
  public static final String SOURCE = "synthetic";

  private static final long STEP_SECONDS = 300;

  private SyntheticGenerator() {}

  /** 5-minute load of every region in {@code regions}, in the raw load contract. */
  public static Dataset<Row> load(SparkSession spark, SyntheticSpec spec, RegionMap regions) {
    long startEpoch = spec.start().atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    long steps = spec.days() * 86_400L / STEP_SECONDS;
    Dataset<Row> grid =
        spark
            .range(0, steps)
            .select(expr("timestamp_seconds(" + startEpoch + " + id * " + STEP_SECONDS + ")").as("ts"));
    Dataset<Row> withRegion = grid.crossJoin(regionTable(spark, regions));
    Dataset<Row> local =
        withRegion
            .withColumn("local_ts", expr("from_utc_timestamp(ts, tz)"))
            .withColumn("local_date", expr("to_date(local_ts)"))
            .withColumn("h", expr("hour(local_ts) + minute(local_ts) / 60.0"))
            .withColumn("temp", temperature(col("ts"), col("local_ts"), col("phase")));
    Dataset<Row> withHolidays =
        local.join(
            org.apache.spark.sql.functions.broadcast(holidayTable(spark, spec, regions)),
            local
                .col("local_date")
                .equalTo(col("holiday_date"))
                .and(local.col("calendar").equalTo(col("holiday_calendar"))),
            "left");
    Dataset<Row> load =
        withHolidays
            .withColumn(
                "shape",
                expr(
                    "0.80 + 0.12 * exp(-pow(h - 8.5, 2) / 5.0) + 0.22 * exp(-pow(h - 18.0, 2) / 12.0)"
                        + " - 0.12 * exp(-pow(h - 3.5, 2) / 6.0)"))
            .withColumn(
                "day_factor",
                expr(
                    "CASE WHEN holiday_date IS NOT NULL THEN 0.88"
                        + " WHEN dayofweek(local_ts) IN (1, 7) THEN 0.90 ELSE 1.0 END"))
            .withColumn("temp_factor", expr("1 + 0.018 * greatest(temp - 21, 0) + 0.007 * greatest(14 - temp, 0)"))
            .withColumn("noise", smoothNoise(spec.seed()))
            .withColumn(
                RawLoadTable.LOAD_MW,
                expr("round(base * shape * day_factor * temp_factor * (1 + noise), 3)"));
    return load.select(
        col("region").as(RawLoadTable.REGION),
        col("ts").as(RawLoadTable.TS),
        col(RawLoadTable.LOAD_MW),
        lit(SOURCE).as(RawLoadTable.SOURCE),
        lit(5).as(RawLoadTable.INTERVAL_MIN),
        lit(Timestamp.from(Instant.EPOCH.plusSeconds(startEpoch))).as(RawLoadTable.INGESTED_AT),
        expr("date_format(ts, 'yyyy-MM')").as(RawLoadTable.MONTH));
  }

  /** Hourly weather of every station of {@code regions}, in the raw weather contract. */
  public static Dataset<Row> weather(SparkSession spark, SyntheticSpec spec, RegionMap regions) {
    long startEpoch = spec.start().atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    long hours = spec.days() * 24L;
    Dataset<Row> hourly =
        spark.range(0, hours).select(expr("timestamp_seconds(" + startEpoch + " + id * 3600)").as("ts"));
    Dataset<Row> observed =
        hourly
            .crossJoin(regionTable(spark, regions))
            .withColumn("local_ts", expr("from_utc_timestamp(ts, tz)"))
            .withColumn("u1", uniform(spec.seed() + 1, "station", "unix_seconds(ts)"))
            .withColumn("u2", uniform(spec.seed() + 2, "station", "unix_seconds(ts)"))
            .withColumn(
                RawWeatherTable.TEMP_C,
                temperature(col("ts"), col("local_ts"), col("phase")).plus(expr("0.3 * u1")))
            .withColumn(RawWeatherTable.DEWPOINT_C, expr("temp_c - (5.0 + 3.0 * abs(u2))"))
            .withColumn(
                RawWeatherTable.RH_PCT,
                // Magnus formula: relative humidity from temperature and dew point.
                expr(
                    "100 * exp(17.625 * dewpoint_c / (243.04 + dewpoint_c))"
                        + " / exp(17.625 * temp_c / (243.04 + temp_c))"))
            .withColumn(RawWeatherTable.WIND_MPS, expr("3.0 + 2.5 * abs(u1 * u2) + 1.5 * abs(u2)"))
            .withColumn(
                RawWeatherTable.PRESSURE_HPA,
                expr("1013 + 8 * sin(2 * pi() * unix_seconds(ts) / 86400.0 / 6.1 + phase)"))
            .withColumn(RawWeatherTable.PRECIP_MM, expr("greatest(u2 - 0.8, 0) * 5"));
    return observed.select(
        col("station").as(RawWeatherTable.STATION),
        col("ts").as(RawWeatherTable.TS),
        expr("round(temp_c, 2)").as(RawWeatherTable.TEMP_C),
        expr("round(dewpoint_c, 2)").as(RawWeatherTable.DEWPOINT_C),
        expr("round(rh_pct, 1)").as(RawWeatherTable.RH_PCT),
        expr("round(wind_mps, 2)").as(RawWeatherTable.WIND_MPS),
        expr("round(pressure_hpa, 1)").as(RawWeatherTable.PRESSURE_HPA),
        expr("round(precip_mm, 2)").as(RawWeatherTable.PRECIP_MM),
        lit(SOURCE).as(RawWeatherTable.SOURCE),
        expr("year(ts)").as(RawWeatherTable.YEAR));
  }

  /**
   * Temperature in °C at {@code ts}: annual and diurnal cycles plus two slow waves whose phase differs
   * by region, so regions are correlated but not identical.
   */
  static Column temperature(Column ts, Column localTs, Column phase) {
    Column days = org.apache.spark.sql.functions.unix_seconds(ts).divide(86_400.0);
    Column hourOfDay =
        org.apache.spark.sql.functions.hour(localTs)
            .plus(org.apache.spark.sql.functions.minute(localTs).divide(60.0));
    Column dayOfYear = org.apache.spark.sql.functions.dayofyear(localTs);
    return lit(11.0)
        .plus(sin(dayOfYear.minus(105).multiply(2 * Math.PI / 365.25)).multiply(13.0))
        .plus(sin(hourOfDay.minus(9).multiply(2 * Math.PI / 24)).multiply(4.5))
        .plus(sin(days.multiply(2 * Math.PI / 5.3).plus(phase)).multiply(3.5))
        .plus(sin(days.multiply(2 * Math.PI / 9.1).plus(phase.multiply(2))).multiply(2.0));
  }

  private static Column sin(Column angle) {
    return org.apache.spark.sql.functions.sin(angle);
  }

  /**
   * Multiplicative noise: hourly random values in [-1, 1] interpolated linearly over the hour (±2.5 %)
   * plus white noise per 5-minute step (±0.4 %).
   */
  private static Column smoothNoise(long seed) {
    Column fraction = expr("(unix_seconds(ts) % 3600) / 3600.0");
    Column now = uniform(seed, "region", "floor(unix_seconds(ts) / 3600)");
    Column next = uniform(seed, "region", "floor(unix_seconds(ts) / 3600) + 1");
    Column smooth = now.multiply(lit(1).minus(fraction)).plus(next.multiply(fraction));
    Column white = uniform(seed + 7, "region", "unix_seconds(ts)");
    return smooth.multiply(0.025).plus(white.multiply(0.004));
  }

  /** A deterministic uniform value in [-1, 1] from a hash of the seed, a key column and a time key. */
  private static Column uniform(long seed, String keyColumn, String timeKeyExpression) {
    return expr(
        "pmod(xxhash64(" + seed + "L, " + keyColumn + ", " + timeKeyExpression + "), 2000003)"
            + " / 1000001.5 - 1.0");
  }

  private static Dataset<Row> regionTable(SparkSession spark, RegionMap regions) {
    StructType schema =
        new StructType()
            .add("region", DataTypes.StringType)
            .add("station", DataTypes.StringType)
            .add("tz", DataTypes.StringType)
            .add("calendar", DataTypes.StringType)
            .add("base", DataTypes.DoubleType)
            .add("phase", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    int index = 0;
    for (Region region : regions.all()) {
      index++;
      String station = region.stations().keySet().stream().sorted().findFirst().orElse(region.name());
      rows.add(
          RowFactory.create(
              region.name(),
              station,
              region.zone().getId(),
              region.holidayCalendar(),
              600.0 + 450.0 * index, 1.7 * index));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static Dataset<Row> holidayTable(SparkSession spark, SyntheticSpec spec, RegionMap regions) {
    LocalDate end = spec.start().plusDays(spec.days());
    List<Row> rows = new ArrayList<>();
    regions.all().stream()
        .map(Region::holidayCalendar)
        .distinct()
        .forEach(
            calendar -> {
              for (LocalDate date :
                  HolidayCalendars.holidays(calendar, spec.start().minusDays(1), end)) {
                rows.add(RowFactory.create(calendar, Date.valueOf(date)));
              }
            });
    StructType schema =
        new StructType()
            .add("holiday_calendar", DataTypes.StringType)
            .add("holiday_date", DataTypes.DateType);
    return spark.createDataFrame(rows, schema);
  }
}
