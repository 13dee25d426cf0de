package io.nowcast.ingest.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.contract.RawLoadTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Linear interpolation of short gaps (policy {@code repair}). A gap is the run of grid instants between
 * two consecutive readings of a region; it is filled when it holds at most {@code max_gap_minutes} of
 * instants and every instant of it may be filled: absent or empty instants when completeness is
 * repaired, readings removed by a repair policy always. The instant k of n is {@code x0 + (x1 − x0) · k
 * / (n + 1)}, exactly the straight line between the two readings; longer gaps stay missing. Only the
 * short gaps are expanded (one row per filled instant), so the cost is one ordered pass per region.
 */
final class GapRepair {
  /** Marks the rows this repair created. */
  static final String FILLED = "q_filled";
  /** Marks readings a repair policy turned into missing values (input). */
  static final String REMOVED = "q_removed";

  private static final String REMOVED_SO_FAR = "q_removed_so_far";
  private static final String NEXT_S = "q_gap_next_s";
  private static final String NEXT_LOAD = "q_gap_next_load";
  private static final String NEXT_REMOVED = "q_gap_next_removed";
  private static final String MISSING = "q_gap_missing";
  private static final String K = "q_gap_k";

  private GapRepair() {}

  /**
   * @param rows one row per region and instant (no duplicates), with {@link RowFlags#SECONDS}, {@link
   *     #REMOVED} and the load already null where removed
   * @param outputColumns the columns of the result (the input's raw columns), plus {@link #FILLED}
   * @param fillAbsent whether absent and empty instants may be filled (completeness policy repair)
   */
  static Dataset<Row> repair(Dataset<Row> rows, List<String> outputColumns, QualitySettings s,
      boolean fillAbsent) {
    long step = s.stepMinutes() * 60L;
    int maxMissing = s.maxGapMinutes() / s.stepMinutes();
    Column load = col(RawLoadTable.LOAD_MW);
    WindowSpec byTime = Window.partitionBy(RawLoadTable.REGION).orderBy(RawLoadTable.TS);
    Dataset<Row> counted =
        rows.withColumn(FILLED, lit(false))
            .withColumn(REMOVED_SO_FAR, sum(when(col(REMOVED), 1L).otherwise(0L))
                .over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
    Dataset<Row> readings = counted.where(load.isNotNull());
    Column[] output = outputColumns.stream().map(c -> col(c)).toArray(Column[]::new);
    if (maxMissing == 0) {
      return counted.select(output).withColumn(FILLED, lit(false));
    }
    Dataset<Row> gaps =
        readings
            .withColumn(NEXT_S, lead(col(RowFlags.SECONDS), 1).over(byTime))
            .withColumn(NEXT_LOAD, lead(load, 1).over(byTime))
            .withColumn(NEXT_REMOVED, lead(col(REMOVED_SO_FAR), 1).over(byTime))
            .withColumn(MISSING, col(NEXT_S).minus(col(RowFlags.SECONDS)).divide(step).minus(1).cast("int"));
    Column onGrid = col(NEXT_S).minus(col(RowFlags.SECONDS)).mod(step).equalTo(0);
    // Between two readings, removed rows = difference of the running count (readings are never removed).
    Column allRemoved = col(NEXT_REMOVED).minus(col(REMOVED_SO_FAR)).equalTo(col(MISSING));
    Column fillable = onGrid.and(col(MISSING).between(1, maxMissing))
        .and(fillAbsent ? lit(true) : allRemoved);
    Dataset<Row> fills =
        gaps.where(coalesce(fillable, lit(false)))
            .withColumn(K, explode(sequence(lit(1), col(MISSING))))
            .withColumn(RowFlags.SECONDS, col(RowFlags.SECONDS).plus(col(K).multiply(step)))
            .withColumn(RawLoadTable.TS, timestamp_seconds(col(RowFlags.SECONDS)))
            .withColumn(RawLoadTable.LOAD_MW,
                load.plus(col(NEXT_LOAD).minus(load).multiply(col(K)).divide(col(MISSING).plus(1))))
            .withColumn(FILLED, lit(true));
    if (outputColumns.contains(RawLoadTable.MONTH)) {
      fills = fills.withColumn(RawLoadTable.MONTH, substring(RowFlags.utcDay(col(RawLoadTable.TS)).cast("string"), 1, 7));
    }
    Dataset<Row> filled = fills.select(output).withColumn(FILLED, lit(true));
    // Empty or removed rows stay (with a null load) unless a fill took their instant.
    Dataset<Row> stillMissing =
        counted.where(load.isNull())
            .join(filled.select(RawLoadTable.REGION, RawLoadTable.TS),
                scala.collection.JavaConverters.asScalaBuffer(List.of(RawLoadTable.REGION, RawLoadTable.TS)).toList(),
                "left_anti");
    return readings.select(output).withColumn(FILLED, lit(false))
        .unionByName(stillMissing.select(output).withColumn(FILLED, lit(false)))
        .unionByName(filled);
  }
}
