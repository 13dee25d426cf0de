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
 * Puts published stamps on the feed's UTC grid (5 minutes for {@code pal}, 60 for {@code palIntegrated}) with Column expressions on epoch seconds (exact integer
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
final class IntervalGrid {
  /** The snapped time, epoch seconds, in the output of {@link #closestPerBin}. */
  static final String BIN_S = "bin_s";

  private IntervalGrid() {}

  /** Nearest grid boundary ({@code stepS} seconds apart) of an epoch-seconds column, half-way rounding up. */
  static Column nearest(Column epochSeconds, long stepS) {
    Column shifted = epochSeconds.plus(stepS / 2);
    return shifted.minus(pmod(shifted, lit(stepS)));
  }

  /** Whether an epoch-seconds column is off the grid (and so will be snapped). */
  static Column offGrid(Column epochSeconds, long stepS) {
    return pmod(epochSeconds, lit(stepS)).notEqual(0);
  }

  /**
   * One row per region and grid boundary.
   *
   * @param accepted parsed rows with {@link PalParseFunction#REGION}, {@code TS_S}, {@code LOAD_MW},
   *     {@code ARCHIVE}, {@code FILE}, {@code LINE}
   * @param stepS the grid step in seconds
   * @return {@code REGION}, {@link #BIN_S}, {@code LOAD_MW}, {@code ARCHIVE}, {@code FILE} of the kept row
   */
  static Dataset<Row> closestPerBin(Dataset<Row> accepted, long stepS) {
    Dataset<Row> binned = accepted.withColumn(BIN_S, nearest(col(PalParseFunction.TS_S), stepS));
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
