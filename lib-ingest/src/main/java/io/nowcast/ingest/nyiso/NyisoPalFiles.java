package io.nowcast.ingest.nyiso;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NYISO's {@code pal} file naming: daily {@code YYYYMMDDpal.csv} inside monthly {@code YYYYMM01pal_csv.zip}.
 * The day in the name is the local New York day the file covers; ingest uses it to know which days a run
 * replaces, and the quarantine table uses it to partition lines that have no parseable time.
 */
public final class NyisoPalFiles {
  private static final Pattern DAILY = Pattern.compile("(?:.*/)?(\\d{8})pal\\.csv");
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

  private NyisoPalFiles() {}

  /** The local day of a daily file name (a leading folder is allowed), or empty if the name is not one. */
  public static Optional<LocalDate> dayOf(String dailyFileName) {
    Matcher m = DAILY.matcher(dailyFileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(1), BASIC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The last path segment of a path or URI ({@code s3a://b/k/x.zip} gives {@code x.zip}). */
  public static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
