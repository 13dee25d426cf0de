package io.nowcast.ingest.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Public holidays of a region's calendar, from Jollyday (a maintained holiday library, so moving feasts
 * and observed-day rules stay right without our own tables). A calendar id is an ISO country code,
 * optionally followed by a subdivision: {@code US} (federal), {@code US-NY}, {@code US-CA}.
 */
public final class HolidayCalendars {
  private HolidayCalendars() {}

  /**
   * Returns the dates (observed dates where the law moves them) of all holidays of {@code calendarId}
   * between {@code from} and {@code to}, both inclusive.
   *
   * @throws IllegalArgumentException naming the id when Jollyday has no such calendar
   */
  public static SortedSet<LocalDate> holidays(String calendarId, LocalDate from, LocalDate to) {
    String[] parts = calendarId.trim().split("-", 2);
    String country = parts[0].toLowerCase(Locale.ROOT);
    boolean known =
        HolidayManager.getSupportedCalendarCodes().stream().anyMatch(code -> code.equalsIgnoreCase(country));
    if (!known) {
      throw new IllegalArgumentException(
          "unknown holiday calendar '" + calendarId + "': expected a country code such as US, US-NY");
    }
    HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(country));
    Holiday[] found =
        parts.length == 2
            ? manager.getHolidays(from, to, parts[1].toLowerCase(Locale.ROOT)).toArray(new Holiday[0])
            : manager.getHolidays(from, to).toArray(new Holiday[0]);
    SortedSet<LocalDate> dates = new TreeSet<>();
    for (Holiday holiday : found) {
      LocalDate date = holiday.getActualDate();
      if (!date.isBefore(from) && !date.isAfter(to)) {
        dates.add(date);
      }
    }
    return dates;
  }
}
