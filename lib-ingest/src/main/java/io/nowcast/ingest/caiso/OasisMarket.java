package io.nowcast.ingest.caiso;

/**
 * The two {@code SLD_FCST} market runs ingested, with what they mean for the raw load table. {@code ACTUAL}
 * is CAISO's hourly actual demand; {@code RTM} is the real-time market's 5-minute load
 * ({@code SYS_FCST_5MIN_MW}, execution type {@code RTD}, asked for explicitly because without it the query
 * also returns the 15-minute {@code RTPD} series).
 */
public enum OasisMarket {
  ACTUAL("ACTUAL", null, "caiso-oasis-actual", 60),
  RTM("RTM", "RTD", "caiso-oasis-rtm", 5);

  private final String marketRunId;
  private final String executionType;
  private final String source;
  private final int intervalMin;

  OasisMarket(String marketRunId, String executionType, String source, int intervalMin) {
    this.marketRunId = marketRunId;
    this.executionType = executionType;
    this.source = source;
    this.intervalMin = intervalMin;
  }

  /** {@code market_run_id} of the query. */
  public String marketRunId() {
    return marketRunId;
  }

  /** {@code execution_type} of the query, or {@code null} when the query takes none. */
  public String executionType() {
    return executionType;
  }

  /** The raw load table's {@code source} (and the landing folder's name). */
  public String source() {
    return source;
  }

  /** The interval length of the rows, minutes; rows of another length are quarantined. */
  public int intervalMin() {
    return intervalMin;
  }
}
