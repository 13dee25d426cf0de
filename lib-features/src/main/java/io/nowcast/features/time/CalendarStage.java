package io.nowcast.features.time;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.SeriesColumns;
import io.nowcast.ingest.calendar.LocalClock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Calendar features in each region's local time, at issue time and at the target time of each
 * horizon: hour, minute of day as sine and cosine (so 23:55 is next to 00:00), day of week (1 =
 * Sunday), month, weekend and public holiday flags, and the days to the next and since the previous
 * holiday of the region's calendar.
 *
 * <p>Regions map to a time zone and a holiday calendar through {@code regionZones} and
 * {@code regionCalendars} ({@code REGION=VALUE} entries); unlisted regions use {@code defaultZone}
 * and {@code defaultCalendar}. At issue time: {@code cal_hour, cal_day_of_week, cal_month,
 * cal_is_weekend, cal_is_holiday, cal_minute_of_day_sin, cal_minute_of_day_cos, cal_days_to_holiday,
 * cal_days_from_holiday}. For each of {@code targetHorizonsMinutes} h (none by default), the same
 * hour, day of week, holiday flag and minute-of-day sine/cosine at {@code issue_ts + h}, named with
 * the suffix {@code _h<h>} ({@link #atTarget}).
 *
 * <p>Invariants: depends on the issue time only, never on load or weather values (so the target-time
 * columns, though about a later instant, cannot leak: they are known in advance); local time follows
 * the zone's DST rules instant by instant (the repeated 01:00 hour of a fall-back day appears twice,
 * the skipped hour of a spring-forward day never); the result does not depend on the session time
 * zone. Holiday flags are for the local date (observed dates where the law moves a holiday), for
 * local dates 1990-2060 (0 outside); the distances are null outside those years.
 */
public final class CalendarStage extends FeatureStage {
  private static final long serialVersionUID = 1L;
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final int MINUTES_PER_DAY = 1440;
  /** Longest target horizon: its local date must stay within the day table's look-ahead. */
  private static final int MAX_TARGET_HORIZON_MINUTES = (HolidayDays.LOOKAHEAD_DAYS - 3) * MINUTES_PER_DAY;

  public static final String HOUR = "cal_hour";
  public static final String MINUTE_SIN = "cal_minute_of_day_sin";
  public static final String MINUTE_COS = "cal_minute_of_day_cos";
  public static final String DAY_OF_WEEK = "cal_day_of_week";
  public static final String MONTH = "cal_month";
  public static final String WEEKEND = "cal_is_weekend";
  public static final String HOLIDAY = "cal_is_holiday";
  /** Days from the local date to the next holiday of the region's calendar; 0 on a holiday. */
  public static final String DAYS_TO_HOLIDAY = "cal_days_to_holiday";
  /** Days from the previous holiday of the region's calendar to the local date; 0 on a holiday. */
  public static final String DAYS_FROM_HOLIDAY = "cal_days_from_holiday";
  /** The columns also built at each target time, in their order. */
  public static final List<String> AT_TARGET = List.of(HOUR, DAY_OF_WEEK, HOLIDAY, MINUTE_SIN, MINUTE_COS);

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final StringArrayParam regionZones =
      new StringArrayParam(this, "regionZones", "REGION=ZoneId entries");
  private final StringArrayParam regionCalendars =
      new StringArrayParam(this, "regionCalendars", "REGION=holiday calendar entries (e.g. US-NY)");
  private final Param<String> defaultZone =
      new Param<>(this, "defaultZone", "zone of unlisted regions");
  private final Param<String> defaultCalendar =
      new Param<>(this, "defaultCalendar", "holiday calendar of unlisted regions");
  private final IntArrayParam targetHorizonsMinutes =
      new IntArrayParam(this, "targetHorizonsMinutes", "horizons whose target time gets calendar columns");

  public CalendarStage(String uid) {
    super(uid);
    setDefault(regionZones, new String[0]);
    setDefault(regionCalendars, new String[0]);
    setDefault(defaultZone, "UTC");
    setDefault(defaultCalendar, "US");
    setDefault(targetHorizonsMinutes, new int[0]);
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

  public IntArrayParam targetHorizonsMinutes() {
    return targetHorizonsMinutes;
  }

  public int[] getTargetHorizonsMinutes() {
    return $(targetHorizonsMinutes);
  }

  public CalendarStage setTargetHorizonsMinutes(int[] value) {
    set(targetHorizonsMinutes, value);
    return this;
  }

  /** Name of calendar column {@code column} at the target time of {@code horizonMinutes}. */
  public static String atTarget(String column, int horizonMinutes) {
    return column + "_h" + horizonMinutes;
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
    Map<String, String> zones = entries(getRegionZones());
    int[] horizons = getTargetHorizonsMinutes();
    // Local wall-clock time as seconds since the epoch: from_utc_timestamp shifts the instant by the
    // zone's offset at that instant (DST-aware). Everything below is integer arithmetic on it and
    // date functions on DATE values, none of which read the session time zone, so the features are
    // the same whatever spark.sql.session.timeZone is (hour()/to_date() on a TIMESTAMP would not be).
    Column region = col(SeriesColumns.REGION);
    Map<String, Column> local = new LinkedHashMap<>();
    local.put("_calendar", mapped(entries(getRegionCalendars()), getDefaultCalendar()));
    local.put("_local_s", LocalClock.localSeconds(col(SeriesColumns.TS), region, zones, getDefaultZone()));
    for (int h : horizons) {
      Column target = timestamp_micros(unix_micros(col(SeriesColumns.TS)).plus(h * MICROS_PER_MINUTE));
      local.put("_local_s_h" + h, LocalClock.localSeconds(target, region, zones, getDefaultZone()));
    }
    Dataset<Row> frame = withColumnsInOrder(dataset.toDF(), local);
    Map<String, Column> days = new LinkedHashMap<>();
    for (String suffix : suffixes(horizons)) {
      Column seconds = col("_local_s" + suffix);
      Column secondOfDay = pmod(seconds, lit(SECONDS_PER_DAY));
      days.put("_local_sod" + suffix, secondOfDay);
      days.put("_local_day" + suffix, seconds.minus(secondOfDay).divide(SECONDS_PER_DAY).cast("int"));
    }
    frame = withColumnsInOrder(frame, days);
    Dataset<Row> dayTable = HolidayDays.table(dataset.sparkSession(), calendars());
    Dataset<Row> joined =
        frame.join(
            broadcast(dayTable),
            col("_local_day")
                .equalTo(col(HolidayDays.DAY))
                .and(col("_calendar").equalTo(col(HolidayDays.CALENDAR))),
            "left");
    Map<String, Column> features = new LinkedHashMap<>();
    features.put(HOUR, hour(""));
    features.put(DAY_OF_WEEK, dayofweek(date_from_unix_date(col("_local_day"))));
    features.put(MONTH, month(date_from_unix_date(col("_local_day"))));
    features.put(
        WEEKEND,
        when(dayofweek(date_from_unix_date(col("_local_day"))).isin(1, 7), lit(1)).otherwise(lit(0)));
    features.put(HOLIDAY, holidayIn(lit(0)));
    features.put(MINUTE_SIN, sin(angle("")));
    features.put(MINUTE_COS, cos(angle("")));
    features.put(DAYS_TO_HOLIDAY, col(HolidayDays.DAYS_TO));
    features.put(DAYS_FROM_HOLIDAY, col(HolidayDays.DAYS_FROM));
    for (int h : horizons) {
      String suffix = "_h" + h;
      features.put(atTarget(HOUR, h), hour(suffix));
      features.put(atTarget(DAY_OF_WEEK, h), dayofweek(date_from_unix_date(col("_local_day" + suffix))));
      // The target's local date is 0 … 7 days after the issue's: a bit of the look-ahead mask.
      features.put(atTarget(HOLIDAY, h), holidayIn(col("_local_day" + suffix).minus(col("_local_day"))));
      features.put(atTarget(MINUTE_SIN, h), sin(angle(suffix)));
      features.put(atTarget(MINUTE_COS, h), cos(angle(suffix)));
    }
    List<String> helpers = new ArrayList<>(List.of("_calendar", HolidayDays.CALENDAR, HolidayDays.DAY,
        HolidayDays.AHEAD, HolidayDays.DAYS_TO, HolidayDays.DAYS_FROM));
    for (String suffix : suffixes(horizons)) {
      helpers.addAll(List.of("_local_s" + suffix, "_local_sod" + suffix, "_local_day" + suffix));
    }
    return withColumnsInOrder(joined, features).drop(helpers.toArray(new String[0]));
  }

  private static List<String> suffixes(int[] horizons) {
    List<String> suffixes = new ArrayList<>(List.of(""));
    for (int h : horizons) {
      suffixes.add("_h" + h);
    }
    return suffixes;
  }

  private static Column hour(String suffix) {
    return col("_local_sod" + suffix).divide(3600).cast("int");
  }

  private static Column angle(String suffix) {
    Column minuteOfDay = col("_local_sod" + suffix).divide(60).cast("int");
    return minuteOfDay.multiply(2 * Math.PI / MINUTES_PER_DAY);
  }

  /** 1 when the local day {@code daysAhead} after the local day is a holiday, else 0. */
  private static Column holidayIn(Column daysAhead) {
    Column bit = shiftrightColumn(col(HolidayDays.AHEAD), daysAhead).bitwiseAND(lit(1L));
    return coalesce(bit.cast("int"), lit(0));
  }

  private static Column shiftrightColumn(Column value, Column bits) {
    // functions.shiftright takes a constant; the SQL function also takes a column.
    return call_function("shiftright", value, bits);
  }

  /** Every configured calendar, the default included. */
  private List<String> calendars() {
    List<String> calendars = new ArrayList<>(entries(getRegionCalendars()).values());
    calendars.add(getDefaultCalendar());
    return calendars;
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
      out = added(out, name, DataTypes.IntegerType);
    }
    for (String name : new String[] {MINUTE_SIN, MINUTE_COS}) {
      out = added(out, name, DataTypes.DoubleType);
    }
    out = added(out, DAYS_TO_HOLIDAY, DataTypes.IntegerType);
    out = added(out, DAYS_FROM_HOLIDAY, DataTypes.IntegerType);
    for (int h : getTargetHorizonsMinutes()) {
      if (h <= 0 || h > MAX_TARGET_HORIZON_MINUTES) {
        throw new IllegalArgumentException(
            "CalendarStage: target horizon " + h + " min is not in 1…" + MAX_TARGET_HORIZON_MINUTES);
      }
      for (String name : AT_TARGET) {
        boolean angle = name.equals(MINUTE_SIN) || name.equals(MINUTE_COS);
        out = added(out, atTarget(name, h), angle ? DataTypes.DoubleType : DataTypes.IntegerType);
      }
    }
    return out;
  }

  private static StructType added(StructType schema, String name, DataType type) {
    requireAbsent(schema, name, "CalendarStage");
    return schema.add(name, type);
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
