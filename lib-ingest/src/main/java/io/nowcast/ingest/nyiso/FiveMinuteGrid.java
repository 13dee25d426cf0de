package io.nowcast.ingest.nyiso;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Puts published stamps on the 5-minute UTC grid with Column expressions on epoch seconds (exact integer
 * arithmetic, independent of the session time zone).
 *
 * <p>Rule: a stamp goes to the <em>nearest</em> 5-minute boundary ({@code 12:02:29} to {@code 12:00},
 * {@code 12:02:31} and {@code 12:04:10} to {@code 12:05}); a stamp exactly half-way ({@code 12:02:30}) goes
 * to the later boundary. Nearest rather than floor, because NYISO's stamps are the nominal interval times
 * recorded a few seconds or minutes late or early: flooring would move a {@code 11:59:58} stamp into the
 * previous interval and leave a hole at {@code 12:00}. When several stamps of a region land on one boundary,
 * one row is kept: a row with a load over a published gap, then the stamp closest to the boundary, then
 * (a tie) the later stamp, then the later file and line, so the result never depends on row order.
 */
final class FiveMinuteGrid {
  static final int INTERVAL_MIN = 5;
  static final long STEP_S = INTERVAL_MIN * 60L;

  /** The snapped time, epoch seconds, in the output of {@link #closestPerBin}. */
  static final String BIN_S = "bin_s";

  private FiveMinuteGrid() {}

  /** Nearest grid boundary of an epoch-seconds column, half-way rounding up. */
  static Column nearest(Column epochSeconds) {
    Column shifted = epochSeconds.plus(STEP_S / 2);
    return shifted.minus(pmod(shifted, lit(STEP_S)));
  }

  /** Whether an epoch-seconds column is off the grid (and so will be snapped). */
  static Column offGrid(Column epochSeconds) {
    return pmod(epochSeconds, lit(STEP_S)).notEqual(0);
  }

  /**
   * One row per region and grid boundary.
   *
   * @param accepted parsed rows with {@link PalParseFunction#REGION}, {@code TS_S}, {@code LOAD_MW},
   *     {@code ARCHIVE}, {@code FILE}, {@code LINE}
   * @return {@code REGION}, {@link #BIN_S}, {@code LOAD_MW}, {@code ARCHIVE}, {@code FILE} of the kept row
   */
  static Dataset<Row> closestPerBin(Dataset<Row> accepted) {
    Dataset<Row> binned = accepted.withColumn(BIN_S, nearest(col(PalParseFunction.TS_S)));
    // max() over a struct compares field by field, left to right: the field order is the preference order.
    Column preference =
        struct(
            col(PalParseFunction.LOAD_MW).isNotNull().as("has_load"),
            abs(col(PalParseFunction.TS_S).minus(col(BIN_S))).multiply(-1).as("closeness"),
            col(PalParseFunction.TS_S).as("stamp"),
            col(PalParseFunction.ARCHIVE).as(PalParseFunction.ARCHIVE),
            col(PalParseFunction.FILE).as(PalParseFunction.FILE),
            col(PalParseFunction.LINE).as("line"),
            col(PalParseFunction.LOAD_MW).as(PalParseFunction.LOAD_MW));
    return binned
        .groupBy(col(PalParseFunction.REGION), col(BIN_S))
        .agg(max(preference).as("best"))
        .select(
            col(PalParseFunction.REGION),
            col(BIN_S),
            col("best." + PalParseFunction.LOAD_MW).as(PalParseFunction.LOAD_MW),
            col("best." + PalParseFunction.ARCHIVE).as(PalParseFunction.ARCHIVE),
            col("best." + PalParseFunction.FILE).as(PalParseFunction.FILE));
  }
}
