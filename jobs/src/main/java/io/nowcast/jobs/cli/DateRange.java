package io.nowcast.jobs.cli;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * An inclusive range of days from {@code --from}/{@code --to}, each a day (YYYY-MM-DD) or a month
 * (YYYY-MM: its first day for --from, its last day for --to). Either end may be open (null).
 */
record DateRange(LocalDate first, LocalDate last) {
  static DateRange parse(String from, String to) {
    LocalDate first = from == null ? null : day(from, "--from", true);
    LocalDate last = to == null ? null : day(to, "--to", false);
    if (first != null && last != null && first.isAfter(last)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    return new DateRange(first, last);
  }

  /** Both ends, or a clear error naming the missing option. */
  DateRange closed() {
    if (first == null || last == null) {
      throw new IllegalArgumentException("this source needs both --from and --to (YYYY-MM-DD or YYYY-MM)");
    }
    return this;
  }

  YearMonth firstMonth() {
    return first == null ? null : YearMonth.from(first);
  }

  YearMonth lastMonth() {
    return last == null ? null : YearMonth.from(last);
  }

  private static LocalDate day(String text, String option, boolean start) {
    try {
      if (text.length() == 7) {
        YearMonth month = YearMonth.parse(text);
        return start ? month.atDay(1) : month.atEndOfMonth();
      }
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be YYYY-MM-DD or YYYY-MM, got '" + text + "'");
    }
  }
}
