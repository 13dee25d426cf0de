package io.nowcast.ingest.quality;

/** The checks of the data-quality stage, each with its own policy ({@link QualityPolicy}). */
public enum QualityCheck {
  /** Share of the day's expected 5-minute instants that hold a load is below {@code min_ratio}. */
  COMPLETENESS("completeness"),
  /** More than one row for one region and instant. */
  DUPLICATES("duplicates"),
  /** The same load at consecutive instants for at least {@code min_hours}. */
  FLATLINE("flatline"),
  /** |robust z| against the same local hour and weekday of the previous weeks above a threshold. */
  OUTLIERS("outliers"),
  /** Load ≤ 0, above {@code max_mw}, or a one-reading spike/dip beyond {@code max_jump_ratio}. */
  IMPOSSIBLE("impossible");

  private final String key;

  QualityCheck(String key) {
    this.key = key;
  }

  /** The name in config keys ({@code quality.<key>.policy}), the report and the JSON summary. */
  public String key() {
    return key;
  }
}
