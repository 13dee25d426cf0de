package io.nowcast.features.time;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.Frames;
import io.nowcast.features.Frames.Point;
import io.nowcast.features.SeriesColumns;
import io.nowcast.ingest.calendar.HolidayCalendars;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class CalendarStageTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static CalendarStage stage() {
    return new CalendarStage()
        .setRegionZones(new String[] {"NYC=America/New_York"})
        .setRegionCalendars(new String[] {"NYC=US-NY"})
        .setDefaultZone("UTC")
        .setDefaultCalendar("US");
  }

  /** Every 30 minutes over [from, to), for region NYC and for an unlisted region (UTC, US). */
  private static List<Point> instants(Instant from, Instant to) {
    List<Point> points = new ArrayList<>();
    for (Instant t = from; t.isBefore(to); t = t.plusSeconds(1800)) {
      points.add(new Point("NYC", t, 1.0));
      points.add(new Point("OTHER", t, 1.0));
    }
    return points;
  }

  /** Spark's day of week: 1 = Sunday … 7 = Saturday. */
  private static int sparkDayOfWeek(DayOfWeek day) {
    return day.getValue() % 7 + 1;
  }

  private static void assertMatchesJavaTime(Map<String, Row> rows, List<Point> points) {
    for (Point p : points) {
      Row row = rows.get(Frames.key(p.region(), p.ts()));
      ZonedDateTime local = p.ts().atZone(p.region().equals("NYC") ? NEW_YORK : ZoneId.of("UTC"));
      String what = p.region() + " " + p.ts() + " (local " + local + ")";
      assertEquals(local.getHour(), (int) row.getAs(CalendarStage.HOUR), what + " hour");
      assertEquals(sparkDayOfWeek(local.getDayOfWeek()), (int) row.getAs(CalendarStage.DAY_OF_WEEK), what + " dow");
      assertEquals(local.getMonthValue(), (int) row.getAs(CalendarStage.MONTH), what + " month");
      boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
      assertEquals(weekend ? 1 : 0, (int) row.getAs(CalendarStage.WEEKEND), what + " weekend");
      double angle = 2 * Math.PI * (local.getHour() * 60 + local.getMinute()) / 1440.0;
      Frames.assertClose(Math.sin(angle), row.getAs(CalendarStage.MINUTE_SIN), 1e-12, what + " sin");
      Frames.assertClose(Math.cos(angle), row.getAs(CalendarStage.MINUTE_COS), 1e-12, what + " cos");
    }
  }

  @Test
  void localHourAndDayOfWeekFollowNewYorkTimeAcrossTheFallBackChange() {
    // 2019-11-03: EDT (UTC−4) until 06:00Z, then EST (UTC−5); 01:00-01:59 local happens twice.
    List<Point> points = instants(at("2019-11-02T02:00:00Z"), at("2019-11-04T06:00:00Z"));
    Dataset<Row> out = stage().transform(Frames.series(points));
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);
    assertEquals(points.size(), rows.size());
    assertMatchesJavaTime(rows, points);

    // Spot checks of the facts the loop relies on.
    assertEquals(1, (int) rows.get(Frames.key("NYC", at("2019-11-03T05:30:00Z"))).getAs(CalendarStage.HOUR));
    assertEquals(1, (int) rows.get(Frames.key("NYC", at("2019-11-03T06:30:00Z"))).getAs(CalendarStage.HOUR));
    assertEquals(2, (int) rows.get(Frames.key("NYC", at("2019-11-03T07:00:00Z"))).getAs(CalendarStage.HOUR));
    // Friday 2019-11-01 23:30 EDT is Saturday 03:30 UTC: a weekday in New York, weekend in UTC.
    Row fridayNight = rows.get(Frames.key("NYC", at("2019-11-02T03:30:00Z")));
    assertEquals(6, (int) fridayNight.getAs(CalendarStage.DAY_OF_WEEK));
    assertEquals(0, (int) fridayNight.getAs(CalendarStage.WEEKEND));
    assertEquals(1, (int) rows.get(Frames.key("OTHER", at("2019-11-02T03:30:00Z"))).getAs(CalendarStage.WEEKEND));
    // Sunday 2019-11-03 is a weekend day.
    assertEquals(1, (int) rows.get(Frames.key("NYC", at("2019-11-03T16:00:00Z"))).getAs(CalendarStage.WEEKEND));
    assertEquals(1, (int) rows.get(Frames.key("NYC", at("2019-11-03T16:00:00Z"))).getAs(CalendarStage.DAY_OF_WEEK));
    // Monday 2019-11-04 00:30 EST = 05:30 UTC.
    Row monday = rows.get(Frames.key("NYC", at("2019-11-04T05:30:00Z")));
    assertEquals(0, (int) monday.getAs(CalendarStage.HOUR));
    assertEquals(2, (int) monday.getAs(CalendarStage.DAY_OF_WEEK));
    assertEquals(0, (int) monday.getAs(CalendarStage.WEEKEND));
  }

  @Test
  void theSpringForwardHourNeverAppears() {
    // 2019-03-10: 02:00-02:59 local does not exist in New York.
    List<Point> points = instants(at("2019-03-10T04:00:00Z"), at("2019-03-10T09:00:00Z"));
    Map<String, Row> rows = Frames.byRegionAndTs(stage().transform(Frames.series(points)), SeriesColumns.TS);
    assertMatchesJavaTime(rows, points);
    Set<Integer> hours = new HashSet<>();
    for (Point p : points) {
      if (p.region().equals("NYC")) {
        hours.add(rows.get(Frames.key("NYC", p.ts())).getAs(CalendarStage.HOUR));
      }
    }
    assertEquals(Set.of(23, 0, 1, 3, 4), hours);
  }

  @Test
  void independenceDayIsAHolidayOnTheLocalDate() {
    List<Point> points = instants(at("2019-07-03T00:00:00Z"), at("2019-07-06T12:00:00Z"));
    Map<String, Row> rows = Frames.byRegionAndTs(stage().transform(Frames.series(points)), SeriesColumns.TS);
    assertMatchesJavaTime(rows, points);
    for (Point p : points) {
      ZonedDateTime local = p.ts().atZone(p.region().equals("NYC") ? NEW_YORK : ZoneId.of("UTC"));
      boolean julyFourth = local.getMonthValue() == 7 && local.getDayOfMonth() == 4;
      assertEquals(
          julyFourth ? 1 : 0,
          (int) rows.get(Frames.key(p.region(), p.ts())).getAs(CalendarStage.HOLIDAY),
          p.region() + " " + local);
    }
    // 2019-07-05 02:00Z is still July 4th (22:00 EDT) in New York but July 5th in UTC.
    assertEquals(1, (int) rows.get(Frames.key("NYC", at("2019-07-05T02:00:00Z"))).getAs(CalendarStage.HOLIDAY));
    assertEquals(0, (int) rows.get(Frames.key("OTHER", at("2019-07-05T02:00:00Z"))).getAs(CalendarStage.HOLIDAY));
    // 2019-07-04 03:00Z is still July 3rd (23:00 EDT) in New York.
    assertEquals(0, (int) rows.get(Frames.key("NYC", at("2019-07-04T03:00:00Z"))).getAs(CalendarStage.HOLIDAY));
  }

  @Test
  void resultsDoNotDependOnTheSessionTimeZone() {
    SparkSession spark = Frames.spark();
    List<Point> points = instants(at("2019-11-02T20:00:00Z"), at("2019-11-03T12:00:00Z"));
    List<Row> utc = stage().transform(Frames.series(points)).orderBy("region", "ts").collectAsList();
    String before = spark.conf().get("spark.sql.session.timeZone");
    List<Row> kolkata;
    try {
      spark.conf().set("spark.sql.session.timeZone", "Asia/Kolkata");
      kolkata = stage().transform(Frames.series(points)).orderBy("region", "ts").collectAsList();
    } finally {
      spark.conf().set("spark.sql.session.timeZone", before);
    }
    assertEquals(utc.size(), kolkata.size());
    for (int i = 0; i < utc.size(); i++) {
      Frames.assertSameValues(utc.get(i), kolkata.get(i), "row " + i);
    }
    assertTrue(utc.size() > 0);
  }

  @Test
  void declaredSchemaMatchesTheOutputAndBadZonesFailFast() {
    Dataset<Row> input = Frames.series(instants(at("2019-11-02T20:00:00Z"), at("2019-11-02T21:00:00Z")));
    Frames.assertSameColumns(stage().transformSchema(input.schema()), stage().transform(input).schema());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> stage().setRegionZones(new String[] {"NYC=America/Nowhere"}).transform(input));
    assertTrue(e.getMessage().contains("America/Nowhere"), e.getMessage());
  }

  /** Holidays of the test's calendars around the test dates (the data source; the logic is ours). */
  private static SortedSet<LocalDate> holidays(String region) {
    return HolidayCalendars.holidays(
        region.equals("NYC") ? "US-NY" : "US", LocalDate.of(2018, 1, 1), LocalDate.of(2021, 12, 31));
  }

  private static ZoneId zoneOf(String region) {
    return region.equals("NYC") ? NEW_YORK : ZoneId.of("UTC");
  }

  @Test
  void targetTimeColumnsDescribeIssueTimePlusTheHorizonInLocalTime() {
    int[] horizons = {15, 60, 1440};
    List<Point> points = instants(at("2019-11-02T02:00:00Z"), at("2019-11-04T06:00:00Z"));
    points.addAll(instants(at("2019-07-02T20:00:00Z"), at("2019-07-05T08:00:00Z")));
    Dataset<Row> out = stage().setTargetHorizonsMinutes(horizons).transform(Frames.series(points));
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);
    Frames.assertSameColumns(
        stage().setTargetHorizonsMinutes(horizons).transformSchema(Frames.SERIES), out.schema());
    for (Point p : points) {
      Row row = rows.get(Frames.key(p.region(), p.ts()));
      for (int h : horizons) {
        ZonedDateTime local = p.ts().plusSeconds(60L * h).atZone(zoneOf(p.region()));
        String what = p.region() + " " + p.ts() + " +" + h + " min (local " + local + ")";
        assertEquals(local.getHour(), (int) row.getAs(CalendarStage.atTarget(CalendarStage.HOUR, h)), what);
        assertEquals(
            sparkDayOfWeek(local.getDayOfWeek()),
            (int) row.getAs(CalendarStage.atTarget(CalendarStage.DAY_OF_WEEK, h)), what);
        assertEquals(
            holidays(p.region()).contains(local.toLocalDate()) ? 1 : 0,
            (int) row.getAs(CalendarStage.atTarget(CalendarStage.HOLIDAY, h)), what + " holiday");
        double angle = 2 * Math.PI * (local.getHour() * 60 + local.getMinute()) / 1440.0;
        Frames.assertClose(Math.sin(angle), row.getAs(CalendarStage.atTarget(CalendarStage.MINUTE_SIN, h)), 1e-12, what);
        Frames.assertClose(Math.cos(angle), row.getAs(CalendarStage.atTarget(CalendarStage.MINUTE_COS, h)), 1e-12, what);
      }
    }
    // 2019-07-04 03:30Z is 23:30 EDT on July 3rd: not a holiday now, but in 60 minutes it is.
    Row eve = rows.get(Frames.key("NYC", at("2019-07-04T03:30:00Z")));
    assertEquals(0, (int) eve.getAs(CalendarStage.HOLIDAY));
    assertEquals(0, (int) eve.getAs(CalendarStage.atTarget(CalendarStage.HOLIDAY, 15)));
    assertEquals(1, (int) eve.getAs(CalendarStage.atTarget(CalendarStage.HOLIDAY, 60)));
    // Fall back: 05:30Z is 01:30 EDT; 60 minutes later it is 01:30 EST again.
    Row repeated = rows.get(Frames.key("NYC", at("2019-11-03T05:30:00Z")));
    assertEquals(1, (int) repeated.getAs(CalendarStage.atTarget(CalendarStage.HOUR, 60)));
  }

  @Test
  void daysToTheNextAndFromThePreviousHolidayOfTheRegionsCalendar() {
    List<Point> points = instants(at("2019-06-30T00:00:00Z"), at("2019-07-06T00:00:00Z"));
    points.addAll(instants(at("2019-12-22T00:00:00Z"), at("2020-01-03T00:00:00Z")));
    Map<String, Row> rows = Frames.byRegionAndTs(stage().transform(Frames.series(points)), SeriesColumns.TS);
    for (Point p : points) {
      LocalDate day = p.ts().atZone(zoneOf(p.region())).toLocalDate();
      SortedSet<LocalDate> holidays = holidays(p.region());
      int to = 0;
      while (!holidays.contains(day.plusDays(to))) {
        to++;
      }
      int from = 0;
      while (!holidays.contains(day.minusDays(from))) {
        from++;
      }
      Row row = rows.get(Frames.key(p.region(), p.ts()));
      assertEquals(to, (int) row.getAs(CalendarStage.DAYS_TO_HOLIDAY), p + " days to");
      assertEquals(from, (int) row.getAs(CalendarStage.DAYS_FROM_HOLIDAY), p + " days from");
    }
    // Hand-checked: Monday 2019-07-01 noon EDT — Memorial Day (May 27) was 35 days ago, July 4th
    // is in 3 days; on July 5th (local) the next NY holiday is Labor Day, 59 days ahead.
    Row monday = rows.get(Frames.key("NYC", at("2019-07-01T16:00:00Z")));
    assertEquals(3, (int) monday.getAs(CalendarStage.DAYS_TO_HOLIDAY));
    assertEquals(35, (int) monday.getAs(CalendarStage.DAYS_FROM_HOLIDAY));
    Row friday = rows.get(Frames.key("NYC", at("2019-07-05T16:00:00Z")));
    assertEquals(59, (int) friday.getAs(CalendarStage.DAYS_TO_HOLIDAY));
    assertEquals(1, (int) friday.getAs(CalendarStage.DAYS_FROM_HOLIDAY));
    // New Year's Day 2020, 00:30 local (05:30Z): a holiday, both distances 0.
    Row newYear = rows.get(Frames.key("NYC", at("2020-01-01T05:30:00Z")));
    assertEquals(0, (int) newYear.getAs(CalendarStage.DAYS_TO_HOLIDAY));
    assertEquals(0, (int) newYear.getAs(CalendarStage.DAYS_FROM_HOLIDAY));
  }
}
