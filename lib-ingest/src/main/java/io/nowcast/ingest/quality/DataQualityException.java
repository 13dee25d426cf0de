package io.nowcast.ingest.quality;

/**
 * A check with policy {@code fail} found a bad region-day. An {@link IllegalArgumentException} because
 * the input is at fault: the CLI prints the message (region, day, check, value) and exits with 2.
 */
public final class DataQualityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final QualityCheck check;
  private final String region;
  private final String day;

  public DataQualityException(QualityCheck check, String region, String day, String message) {
    super(message);
    this.check = check;
    this.region = region;
    this.day = day;
  }

  public QualityCheck check() {
    return check;
  }

  public String region() {
    return region;
  }

  /** The UTC day, {@code yyyy-MM-dd}. */
  public String day() {
    return day;
  }
}
