package io.nowcast.ingest.quality;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The data-quality report: one row per region and UTC day of the input's span (days without any row
 * included), written as Parquet under {@code <root>/quality/report/source=<source>}. Counts before the
 * policies were applied, then what the policies did.
 */
public final class QualityReportTable {
  /** Relative path of the table under the data root. */
  public static final String PATH = "quality/report";

  public static final String REGION = "region";
  /** The UTC calendar day (the raw table's clock; every day has 1440 / step instants). */
  public static final String DAY = "day";
  /** Grid instants of the day inside the input's span (the first and last day may be partial). */
  public static final String EXPECTED_INSTANTS = "expected_instants";
  /** Rows of the day as read, duplicates included. */
  public static final String ROWS = "rows";
  /** Distinct on-grid instants with a load. */
  public static final String INSTANTS_PRESENT = "instants_present";
  /** Rows with an empty load (kept by ingest as gaps). */
  public static final String NULL_LOADS = "null_loads";
  /** instants_present / expected_instants. */
  public static final String COMPLETENESS = "completeness";
  /** Rows beyond the first at the same region and instant. */
  public static final String DUPLICATE_ROWS = "duplicate_rows";
  public static final String FLATLINE_ROWS = "flatline_rows";
  public static final String OUTLIER_ROWS = "outlier_rows";
  /** The largest |robust z-score| of the day's readings (null without a reference). */
  public static final String MAX_ABS_Z = "max_abs_z";
  public static final String NONPOSITIVE_ROWS = "nonpositive_rows";
  public static final String ABOVE_CAP_ROWS = "above_cap_rows";
  public static final String JUMP_ROWS = "jump_rows";
  /** Rows that are non-positive, above the cap or a jump (each row once). */
  public static final String IMPOSSIBLE_ROWS = "impossible_rows";
  public static final String MIN_LOAD = "min_load_mw";
  public static final String MAX_LOAD = "max_load_mw";
  /** The checks the day failed, comma-separated in {@link QualityCheck} order ("" when none). */
  public static final String FAILED_CHECKS = "failed_checks";
  /** Whether a drop_day policy removed the day. */
  public static final String DROPPED = "dropped";
  public static final String ROWS_DROPPED = "rows_dropped";
  /** Readings set to missing by a repair policy (flatline, outliers, impossible). */
  public static final String VALUES_REMOVED = "values_removed";
  public static final String DUPLICATES_REMOVED = "duplicates_removed";
  /** Instants filled by linear interpolation (repair). */
  public static final String INSTANTS_FILLED = "instants_filled";
  /** Share of expected instants with a load after the policies (0 for a dropped day). */
  public static final String COMPLETENESS_AFTER = "completeness_after";

  public static final StructType SCHEMA =
      new StructType()
          .add(REGION, DataTypes.StringType, false)
          .add(DAY, DataTypes.DateType, false)
          .add(EXPECTED_INSTANTS, DataTypes.LongType, false)
          .add(ROWS, DataTypes.LongType, false)
          .add(INSTANTS_PRESENT, DataTypes.LongType, false)
          .add(NULL_LOADS, DataTypes.LongType, false)
          .add(COMPLETENESS, DataTypes.DoubleType, false)
          .add(DUPLICATE_ROWS, DataTypes.LongType, false)
          .add(FLATLINE_ROWS, DataTypes.LongType, false)
          .add(OUTLIER_ROWS, DataTypes.LongType, false)
          .add(MAX_ABS_Z, DataTypes.DoubleType, true)
          .add(NONPOSITIVE_ROWS, DataTypes.LongType, false)
          .add(ABOVE_CAP_ROWS, DataTypes.LongType, false)
          .add(JUMP_ROWS, DataTypes.LongType, false)
          .add(IMPOSSIBLE_ROWS, DataTypes.LongType, false)
          .add(MIN_LOAD, DataTypes.DoubleType, true)
          .add(MAX_LOAD, DataTypes.DoubleType, true)
          .add(FAILED_CHECKS, DataTypes.StringType, false)
          .add(DROPPED, DataTypes.BooleanType, false)
          .add(ROWS_DROPPED, DataTypes.LongType, false)
          .add(VALUES_REMOVED, DataTypes.LongType, false)
          .add(DUPLICATES_REMOVED, DataTypes.LongType, false)
          .add(INSTANTS_FILLED, DataTypes.LongType, false)
          .add(COMPLETENESS_AFTER, DataTypes.DoubleType, false);

  private QualityReportTable() {}
}
