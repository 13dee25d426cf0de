package io.nowcast.ingest.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ISO's own load forecast as published (NYISO {@code isolf}), kept to compare models with: one row per
 * region, issue day and forecast hour, partitioned by {@link #SOURCE} and {@link #MONTH} (the month of
 * {@link #ISSUE_DATE}, so one daily file lands in exactly one partition and a re-ingest of a month replaces
 * exactly that month's files).
 *
 * <p>Reading it as a baseline: a NYISO file of day D holds hourly forecasts for the New York days D to D+5
 * (D+4 in a few files). {@code target_ts} is the hour-beginning instant in UTC. The file is published in the
 * morning of D, so its hours of D itself include hours already past when it appeared: a leakage-free
 * "ISO forecast" for target hour T uses the latest issue day strictly before T's New York day (lead D+1, the
 * day-ahead forecast): {@code issue_date = date(T in America/New_York) - 1}.
 */
public final class RawIsoForecastTable {
  /** Region name as in {@code conf/regions/nyiso.yaml} ({@code CAPITL}, {@code HUD VL}, {@code NYISO} ...). */
  public static final String REGION = "region";
  /** The New York day the forecast was issued: the day in the file's name. */
  public static final String ISSUE_DATE = "issue_date";
  /** Start of the forecast hour, UTC. */
  public static final String TARGET_TS = "target_ts";
  /** Forecast load over the hour, MW. */
  public static final String FORECAST_MW = "forecast_mw";
  /** Which adapter produced the row (e.g. {@code nyiso-isolf}). */
  public static final String SOURCE = "source";
  /** When the ingest job wrote the row, UTC. */
  public static final String INGESTED_AT = "ingested_at";
  /** Partition column {@code yyyy-MM} of {@link #ISSUE_DATE}. */
  public static final String MONTH = "month";

  /** Relative path of the table under the data root. */
  public static final String PATH = "raw/iso_forecast";

  /** Schema of the data columns (the partition columns {@link #SOURCE} and {@link #MONTH} included). */
  public static final StructType SCHEMA =
      new StructType()
          .add(REGION, DataTypes.StringType, false)
          .add(ISSUE_DATE, DataTypes.DateType, false)
          .add(TARGET_TS, DataTypes.TimestampType, false)
          .add(FORECAST_MW, DataTypes.DoubleType, false)
          .add(SOURCE, DataTypes.StringType, false)
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add(MONTH, DataTypes.StringType, false);

  private RawIsoForecastTable() {}
}
