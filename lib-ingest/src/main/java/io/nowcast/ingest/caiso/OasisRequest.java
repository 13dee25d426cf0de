package io.nowcast.ingest.caiso;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One OASIS {@code SingleZip} request for {@code SLD_FCST}: the UTC days {@code [start, end)} of one market
 * run. Also the name of its landed zip ({@code yyyyMMdd-yyyyMMdd.zip}), from which a later run knows which
 * days are already landed.
 *
 * @param market the market run
 * @param start first UTC day
 * @param end the UTC day after the last
 */
public record OasisRequest(OasisMarket market, LocalDate start, LocalDate end) {
  /** The longest span OASIS answers in one request. */
  public static final int MAX_DAYS = 31;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
  private static final DateTimeFormatter OASIS_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HH:mm'-0000'", Locale.ROOT);
  private static final Pattern LANDED = Pattern.compile("(\\d{8})-(\\d{8})\\.zip");

  public OasisRequest {
    long days = ChronoUnit.DAYS.between(start, end);
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("an OASIS request spans 1.." + MAX_DAYS + " days, not " + days);
    }
  }

  /**
   * Requests covering {@code days} (sorted, distinct UTC days): runs of consecutive days, cut at UTC month
   * starts, so that no request exceeds {@link #MAX_DAYS} and a run's requests line up with the table's month
   * partitions.
   */
  public static List<OasisRequest> covering(OasisMarket market, List<LocalDate> days) {
    List<OasisRequest> out = new ArrayList<>();
    LocalDate start = null;
    LocalDate previous = null;
    for (LocalDate day : days) {
      boolean breaks = start == null || !day.equals(previous.plusDays(1)) || day.getDayOfMonth() == 1;
      if (breaks) {
        if (start != null) {
          out.add(new OasisRequest(market, start, previous.plusDays(1)));
        }
        start = day;
      }
      previous = day;
    }
    if (start != null) {
      out.add(new OasisRequest(market, start, previous.plusDays(1)));
    }
    return out;
  }

  /**
   * {@code <base>/oasisapi/SingleZip?queryname=SLD_FCST&market_run_id=…[&execution_type=…]&startdatetime=
   * yyyyMMddTHH:mm-0000&enddatetime=…&version=1&resultformat=6} (CSV in the zip).
   */
  public URI uri(URI baseUrl) {
    String base = baseUrl.toString();
    StringBuilder q = new StringBuilder(base.endsWith("/") ? base : base + "/")
        .append("oasisapi/SingleZip?queryname=SLD_FCST&market_run_id=").append(market.marketRunId());
    if (market.executionType() != null) {
      q.append("&execution_type=").append(market.executionType());
    }
    q.append("&startdatetime=").append(OASIS_TIME.format(start.atStartOfDay().atOffset(ZoneOffset.UTC)))
        .append("&enddatetime=").append(OASIS_TIME.format(end.atStartOfDay().atOffset(ZoneOffset.UTC)))
        .append("&version=1&resultformat=6");
    return URI.create(q.toString());
  }

  /** The landed zip's name. */
  public String landedName() {
    return DAY.format(start) + "-" + DAY.format(end) + ".zip";
  }

  /** The request a landed zip's name stands for, if it is one. */
  public static Optional<OasisRequest> ofLandedName(OasisMarket market, String name) {
    Matcher m = LANDED.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new OasisRequest(market, LocalDate.parse(m.group(1), DAY), LocalDate.parse(m.group(2), DAY)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The UTC days covered. */
  public List<LocalDate> days() {
    return start.datesUntil(end).toList();
  }
}
