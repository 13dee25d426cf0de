package io.nowcast.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.nowcast.ingest.contract.RawLoadTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A content hash of the raw load a run used: the row count and the sum of per-row 64-bit hashes of
 * (region, ts, load). Order-independent, so it is the same however the data is partitioned, and
 * computed in one distributed pass.
 */
public final class DataFingerprint {
  /** The fingerprint of no rows. */
  public static final String EMPTY = "rows0-0000000000000000";

  private DataFingerprint() {}

  public static String of(Dataset<Row> rawLoad) {
    Row row = rawLoad
        .select(xxhash64(col(RawLoadTable.REGION), col(RawLoadTable.TS), col(RawLoadTable.LOAD_MW)).as("h"))
        .agg(count(lit(1)), sum(col("h").cast("decimal(38,0)")))
        .first();
    long rows = row.getLong(0);
    if (rows == 0) {
      return EMPTY;
    }
    long folded = row.getDecimal(1).toBigInteger().longValue();
    return "rows" + rows + "-" + String.format("%016x", folded);
  }
}
