package io.nowcast.features.time;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.calendar.HolidayCalendars;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The day table of the calendar features: one row per holiday calendar and local day from {@link
 * #FIRST_YEAR} to {@link #LAST_YEAR} (about 26,000 per calendar, broadcast to the joins), with
 *
 * <ul>
 *   <li>{@link #AHEAD}: bit {@code k} set when day {@code d + k} is a holiday, {@code k = 0 …}
 *       {@value #LOOKAHEAD_DAYS}{@code − 1} — one join answers "is the target's local day a holiday"
 *       for every horizon;
 *   <li>{@link #DAYS_TO} / {@link #DAYS_FROM}: days to the next holiday and since the previous one (0
 *       on a holiday), null when there is none within a year of the table's ends.
 * </ul>
 *
 * <p>Only the holiday dates come from the driver (Jollyday, a few thousand rows); the days are a
 * {@code range} and the distances running windows per calendar, so the plan stays small.
 */
final class HolidayDays {
  static final int FIRST_YEAR = 1990;
  static final int LAST_YEAR = 2060;
  /** Days ahead held in {@link #AHEAD}. */
  static final int LOOKAHEAD_DAYS = 8;

  static final String CALENDAR = "_day_calendar";
  static final String DAY = "_day";
  static final String AHEAD = "_holidays_ahead";
  static final String DAYS_TO = "_days_to_holiday";
  static final String DAYS_FROM = "_days_from_holiday";
  private static final String HOLIDAY_CALENDAR = "_holiday_calendar";
  private static final String HOLIDAY_DAY = "_holiday_day";
  private static final String IS_HOLIDAY = "_is_holiday";

  private HolidayDays() {}

  static Dataset<Row> table(SparkSession spark, Collection<String> calendars) {
    // One year of margin each side, so distances near the ends still see the nearest holiday.
    LocalDate from = LocalDate.of(FIRST_YEAR - 1, 1, 1);
    LocalDate to = LocalDate.of(LAST_YEAR + 1, 12, 31);
    List<Row> holidayRows = new ArrayList<>();
    List<Row> calendarRows = new ArrayList<>();
    for (String calendar : new TreeSet<>(calendars)) {
      calendarRows.add(RowFactory.create(calendar));
      HolidayCalendars.holidays(calendar, from, to)
          .forEach(date -> holidayRows.add(RowFactory.create(calendar, (int) date.toEpochDay())));
    }
    Dataset<Row> holidays =
        spark.createDataFrame(
            holidayRows,
            new StructType()
                .add(HOLIDAY_CALENDAR, DataTypes.StringType)
                .add(HOLIDAY_DAY, DataTypes.IntegerType));
    Dataset<Row> days =
        spark
            .range(from.toEpochDay(), to.toEpochDay() + 1)
            .select(col("id").cast(DataTypes.IntegerType).as(DAY))
            .crossJoin(spark.createDataFrame(calendarRows, new StructType().add(CALENDAR, DataTypes.StringType)))
            .join(
                broadcast(holidays),
                col(DAY).equalTo(col(HOLIDAY_DAY)).and(col(CALENDAR).equalTo(col(HOLIDAY_CALENDAR))),
                "left")
            .select(col(CALENDAR), col(DAY), when(col(HOLIDAY_DAY).isNotNull(), 1L).otherwise(0L).as(IS_HOLIDAY));
    WindowSpec byDay = Window.partitionBy(CALENDAR).orderBy(DAY);
    WindowSpec upToDay = byDay.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec fromDayOn =
        Window.partitionBy(CALENDAR)
            .orderBy(col(DAY).desc())
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column holidayDay = when(col(IS_HOLIDAY).equalTo(1L), col(DAY));
    Column ahead = col(IS_HOLIDAY);
    for (int k = 1; k < LOOKAHEAD_DAYS; k++) {
      ahead = ahead.plus(coalesce(lead(col(IS_HOLIDAY), k).over(byDay), lit(0L)).multiply(1L << k));
    }
    return days.select(
            col(CALENDAR),
            col(DAY),
            ahead.as(AHEAD),
            min(holidayDay).over(fromDayOn).minus(col(DAY)).as(DAYS_TO),
            col(DAY).minus(max(holidayDay).over(upToDay)).as(DAYS_FROM))
        .where(
            col(DAY).between(
                LocalDate.of(FIRST_YEAR, 1, 1).toEpochDay(), LocalDate.of(LAST_YEAR, 12, 31).toEpochDay()));
  }
}
