package io.nowcast.ingest.weather;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.nowcast.ingest.contract.RawWeatherTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Collapses observations of one station at one instant to one row. Kept: the row with the most non-missing
 * values (a fuller report is the better report), then the one from the greater file name, then the greater
 * line. The order is total, so the result never depends on partitioning or row order; rows are kept whole,
 * never merged field by field, so every value written was published together.
 */
final class WeatherDuplicates {
  private static final String RANK = "_rank";
  private static final String[] MEASURES = {
    RawWeatherTable.TEMP_C, RawWeatherTable.DEWPOINT_C, RawWeatherTable.RH_PCT, RawWeatherTable.WIND_MPS,
    RawWeatherTable.PRESSURE_HPA, RawWeatherTable.PRECIP_MM
  };

  private WeatherDuplicates() {}

  /** {@code rows} (raw weather columns plus the parse's file and line) with one row per station and ts. */
  static Dataset<Row> collapse(Dataset<Row> rows) {
    Column present = lit(0);
    for (String m : MEASURES) {
      present = present.plus(when(col(m).isNotNull(), 1).otherwise(0));
    }
    return rows.withColumn(
            RANK,
            row_number()
                .over(
                    Window.partitionBy(RawWeatherTable.STATION, RawWeatherTable.TS)
                        .orderBy(
                            present.desc(),
                            col(WeatherParseFunction.FILE).desc(),
                            col(WeatherParseFunction.LINE).desc())))
        .filter(col(RANK).equalTo(1))
        .drop(RANK);
  }
}
