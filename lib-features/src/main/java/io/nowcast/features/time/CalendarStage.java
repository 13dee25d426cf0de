package io.nowcast.features.time;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.SeriesColumns;
import io.nowcast.ingest.calendar.HolidayCalendars;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Calendar features at issue time, in each region's local time: hour, minute of day as sine and cosine
 * (so 23:55 is next to 00:00), day of week (1 = Sunday), month, weekend and public holiday flags.
 *
 * <p>Regions map to a time zone and a holiday calendar through {@code regionZones} and
 * {@code regionCalendars} ({@code REGION=VALUE} entries); unlisted regions use {@code defaultZone}
 * and {@code defaultCalendar}. Invariants: depends on the issue time only, never on load values;
 * local time follows the zone's DST rules instant by instant (the repeated 01:00 hour of a fall-back
 * day appears twice, the skipped hour of a spring-forward day never); the result does not depend on
 * the session time zone. The holiday flag is for the local date (observed dates where the law moves a
 * holiday), 1990-2060.
 */
public final class CalendarStage extends FeatureStage {
  private static final long serialVersionUID = 1L;
  private static final int HOLIDAY_FIRST_YEAR = 1990;
  private static final int HOLIDAY_LAST_YEAR = 2060;
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final int MINUTES_PER_DAY = 1440;

  public static final String HOUR = "cal_hour";
  public static final String MINUTE_SIN = "cal_minute_of_day_sin";
  public static final String MINUTE_COS = "cal_minute_of_day_cos";
  public static final String DAY_OF_WEEK = "cal_day_of_week";
  public static final String MONTH = "cal_month";
  public static final String WEEKEND = "cal_is_weekend";
  public static final String HOLIDAY = "cal_is_holiday";

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final StringArrayParam regionZones =
      new StringArrayParam(this, "regionZones", "REGION=ZoneId entries");
  private final StringArrayParam regionCalendars =
      new StringArrayParam(this, "regionCalendars", "REGION=holiday calendar entries (e.g. US-NY)");
  private final Param<String> defaultZone =
      new Param<>(this, "defaultZone", "zone of unlisted regions");
  private final Param<String> defaultCalendar =
      new Param<>(this, "defaultCalendar", "holiday calendar of unlisted regions");

  public CalendarStage(String uid) {
    super(uid);
    setDefault(regionZones, new String[0]);
    setDefault(regionCalendars, new String[0]);
    setDefault(defaultZone, "UTC");
    setDefault(defaultCalendar, "US");
  }

  public CalendarStage() {
    this(Identifiable.randomUID("calendar"));
  }

  public StringArrayParam regionZones() {
    return regionZones;
  }

  public StringArrayParam regionCalendars() {
    return regionCalendars;
  }

  public Param<String> defaultZone() {
    return defaultZone;
  }

  public Param<String> defaultCalendar() {
    return defaultCalendar;
  }

  public String[] getRegionZones() {
    return $(regionZones);
  }

  public String[] getRegionCalendars() {
    return $(regionCalendars);
  }

  public String getDefaultZone() {
    return $(defaultZone);
  }

  public String getDefaultCalendar() {
    return $(defaultCalendar);
  }

  public CalendarStage setRegionZones(String[] value) {
    set(regionZones, value);
    return this;
  }

  public CalendarStage setRegionCalendars(String[] value) {
    set(regionCalendars, value);
    return this;
  }

  public CalendarStage setDefaultZone(String value) {
    set(defaultZone, value);
    return this;
  }

  public CalendarStage setDefaultCalendar(String value) {
    set(defaultCalendar, value);
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Column zone = mapped(entries(getRegionZones()), getDefaultZone());
    Column calendar = mapped(entries(getRegionCalendars()), getDefaultCalendar());
    // Local wall-clock time as seconds since the epoch: from_utc_timestamp shifts the instant by the
    // zone's offset at that instant (DST-aware). Everything below is integer arithmetic on it and
    // date functions on DATE values, none of which read the session time zone, so the features are
    // the same whatever spark.sql.session.timeZone is (hour()/to_date() on a TIMESTAMP would not be).
    Column localSeconds = col("_local_s");
    Column secondOfDay = pmod(localSeconds, lit(SECONDS_PER_DAY));
    Column localDay = localSeconds.minus(secondOfDay).divide(SECONDS_PER_DAY).cast("int");
    Map<String, Column> localColumns = new LinkedHashMap<>();
    localColumns.put("_local_sod", secondOfDay);
    localColumns.put("_local_day", localDay);
    localColumns.put("_local_date", date_from_unix_date(localDay));
    Dataset<Row> local =
        dataset
            .toDF()
            .withColumn("_calendar", calendar)
            .withColumn("_local_s", unix_seconds(from_utc_timestamp(col(SeriesColumns.TS), zone)));
    local = withColumnsInOrder(local, localColumns);
    Dataset<Row> holidays = holidayTable(dataset.sparkSession());
    Dataset<Row> joined =
        local.join(
            broadcast(holidays),
            col("_local_day")
                .equalTo(col("_holiday_day"))
                .and(col("_calendar").equalTo(col("_holiday_calendar"))),
            "left");
    Column minuteOfDay = col("_local_sod").divide(60).cast("int");
    Column angle = minuteOfDay.multiply(2 * Math.PI / MINUTES_PER_DAY);
    Map<String, Column> features = new LinkedHashMap<>();
    features.put(HOUR, col("_local_sod").divide(3600).cast("int"));
    features.put(DAY_OF_WEEK, dayofweek(col("_local_date")));
    features.put(MONTH, month(col("_local_date")));
    features.put(WEEKEND, when(dayofweek(col("_local_date")).isin(1, 7), lit(1)).otherwise(lit(0)));
    features.put(HOLIDAY, when(col("_holiday_day").isNotNull(), lit(1)).otherwise(lit(0)));
    features.put(MINUTE_SIN, sin(angle));
    features.put(MINUTE_COS, cos(angle));
    return withColumnsInOrder(joined, features)
        .drop(
            "_calendar", "_local_s", "_local_sod", "_local_day", "_local_date", "_holiday_day",
            "_holiday_calendar");
  }

  /** Holidays of every configured calendar, a few thousand rows built on the driver from Jollyday. */
  private Dataset<Row> holidayTable(SparkSession spark) {
    List<String> calendars = new ArrayList<>(entries(getRegionCalendars()).values());
    calendars.add(getDefaultCalendar());
    List<Row> rows = new ArrayList<>();
    LocalDate from = LocalDate.of(HOLIDAY_FIRST_YEAR, 1, 1);
    LocalDate to = LocalDate.of(HOLIDAY_LAST_YEAR, 12, 31);
    calendars.stream()
        .distinct()
        .forEach(
            id -> HolidayCalendars.holidays(id, from, to)
                .forEach(date -> rows.add(RowFactory.create(id, (int) date.toEpochDay()))));
    StructType schema =
        new StructType()
            .add("_holiday_calendar", DataTypes.StringType)
            .add("_holiday_day", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  private static Column mapped(Map<String, String> byRegion, String fallback) {
    Column result = lit(fallback);
    for (Map.Entry<String, String> entry : byRegion.entrySet()) {
      result = when(col(SeriesColumns.REGION).equalTo(entry.getKey()), lit(entry.getValue())).otherwise(result);
    }
    return result;
  }

  private static Map<String, String> entries(String[] pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : pairs) {
      int split = pair.indexOf('=');
      if (split <= 0) {
        throw new IllegalArgumentException("expected REGION=VALUE, got '" + pair + "'");
      }
      map.put(pair.substring(0, split), pair.substring(split + 1));
    }
    return map;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "CalendarStage");
    require(schema, SeriesColumns.TS, "CalendarStage");
    // Fail fast on a bad zone id, naming it, rather than deep inside a Spark job.
    entries(getRegionZones()).values().forEach(CalendarStage::checkZone);
    checkZone(getDefaultZone());
    StructType out = schema;
    // Same names, types and order as transform() adds them.
    for (String name : new String[] {HOUR, DAY_OF_WEEK, MONTH, WEEKEND, HOLIDAY}) {
      requireAbsent(out, name, "CalendarStage");
      out = out.add(name, DataTypes.IntegerType);
    }
    for (String name : new String[] {MINUTE_SIN, MINUTE_COS}) {
      requireAbsent(out, name, "CalendarStage");
      out = out.add(name, DataTypes.DoubleType);
    }
    return out;
  }

  private static void checkZone(String id) {
    try {
      ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("CalendarStage: unknown time zone '" + id + "'", e);
    }
  }

  public static MLReader<CalendarStage> read() {
    return new DefaultParamsReader<>();
  }

  public static CalendarStage load(String path) {
    return read().load(path);
  }
}
