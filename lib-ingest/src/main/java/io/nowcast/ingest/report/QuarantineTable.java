package io.nowcast.ingest.report;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quarantine table of a source: every line an ingest could not turn into a row, with the reason, under
 * {@code <dataRoot>/quarantine/<source>}, partitioned by {@link #DAY}: the day of the source file (not of the
 * line, which may have no parseable time), so that re-ingesting a day replaces exactly that day's lines, and
 * a day that is clean on re-ingest can have its stale partition removed. Quarantine is usually empty, so a
 * partition per day makes few files. Read it with {@link #SCHEMA}: partition discovery would otherwise turn
 * {@link #DAY} into a {@code DATE} (and {@link #UNKNOWN_DAY} would make it a string again).
 */
public final class QuarantineTable {
  public static final String SOURCE = "source";
  /** Archive path or URL the file came from. */
  public static final String ARCHIVE = "archive";
  /** The file inside the archive (or the bare file name). */
  public static final String FILE = "file";
  /** 1-based line number in {@link #FILE}. */
  public static final String LINE = "line";
  public static final String REASON = "reason";
  /** The line as read. */
  public static final String RAW = "raw";
  public static final String INGESTED_AT = "ingested_at";
  /** Partition column, {@code yyyy-MM-dd} of the file's day ({@link #UNKNOWN_DAY} when the name has none). */
  public static final String DAY = "day";
  /** {@link #DAY} of files whose name carries no day. */
  public static final String UNKNOWN_DAY = "unknown";

  public static final StructType SCHEMA =
      new StructType()
          .add(SOURCE, DataTypes.StringType, false)
          .add(ARCHIVE, DataTypes.StringType, true)
          .add(FILE, DataTypes.StringType, false)
          .add(LINE, DataTypes.LongType, false)
          .add(REASON, DataTypes.StringType, false)
          .add(RAW, DataTypes.StringType, true)
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add(DAY, DataTypes.StringType, false);

  private QuarantineTable() {}

  /** Relative path of a source's quarantine table under the data root. */
  public static String path(String source) {
    return "quarantine/" + source;
  }
}
