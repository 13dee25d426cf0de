package io.nowcast.ingest.nyiso;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NYISO public CSV feeds this system reads, with their common layout: a folder per feed on the CSV
 * service ({@code <base>/<folder>/YYYYMMDD<folder>.csv} daily, {@code YYYYMM01<folder>_csv.zip} monthly) and
 * the {@code source} tag their rows get.
 */
public enum NyisoFeed {
  /** P-58B real-time actual load, 5-minute, by zone ({@code "Load"} column). */
  PAL("pal", "nyiso-pal", "Load", 5),
  /** P-58C integrated real-time actual load, hourly, by zone ({@code "Integrated Load"} column). */
  PAL_INTEGRATED("palIntegrated", "nyiso-pal-integrated", "Integrated Load", 60),
  /** NYISO's own hourly load forecast, one column per zone ({@link NyisoIsolfIngest}). */
  ISOLF("isolf", "nyiso-isolf", null, 60);

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

  private final String folder;
  private final String source;
  private final String loadColumn;
  private final int intervalMin;
  private final Pattern daily;
  private final Pattern monthly;

  NyisoFeed(String folder, String source, String loadColumn, int intervalMin) {
    this.folder = folder;
    this.source = source;
    this.loadColumn = loadColumn;
    this.intervalMin = intervalMin;
    this.daily = Pattern.compile("(?:.*/)?(\\d{8})" + folder + "\\.csv");
    this.monthly = Pattern.compile("(\\d{6})01" + folder + "_csv\\.zip");
  }

  /** The folder on NYISO's CSV service and the suffix of its file names ({@code pal}, {@code isolf} ...). */
  public String folder() {
    return folder;
  }

  /** The {@code source} value of the rows, the landing folder's and the quarantine table's name. */
  public String source() {
    return source;
  }

  /** The load column's header for the load feeds; {@code null} for {@link #ISOLF}. */
  public String loadColumn() {
    return loadColumn;
  }

  /** The interval of a row in minutes. */
  public int intervalMin() {
    return intervalMin;
  }

  /** {@code YYYYMMDD<folder>.csv} */
  public String dailyFile(LocalDate day) {
    return DAY.format(day) + folder + ".csv";
  }

  /** The New York day of a daily file name (a leading folder is allowed), or empty if it is not one. */
  public Optional<LocalDate> dayOf(String dailyFileName) {
    Matcher m = daily.matcher(dailyFileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(1), DAY));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The month of a monthly archive's file name ({@code YYYYMM01<folder>_csv.zip}), or empty. */
  public Optional<YearMonth> monthOfArchive(String archiveFileName) {
    Matcher m = monthly.matcher(archiveFileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(YearMonth.parse(m.group(1), DateTimeFormatter.ofPattern("uuuuMM", Locale.ROOT)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
