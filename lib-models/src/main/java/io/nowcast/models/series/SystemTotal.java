package io.nowcast.models.series;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.nowcast.ingest.contract.RawLoadTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Adds the system total as one more series of the raw load: the sum of the zones at each instant,
 * region {@link #NYISO}, only where every one of the {@code zones} is present — a missing zone would
 * make a dip that is not in the grid. Call it on raw load before the features are built (it keeps the
 * raw load schema, so the feature builder treats the total like any zone).
 */
public final class SystemTotal {
  /** The region name of the NYISO total. */
  public static final String NYISO = "NYISO";

  private SystemTotal() {}

  /** {@code rawLoad} plus the rows of the total {@code region} over {@code zones}. */
  public static Dataset<Row> withTotal(Dataset<Row> rawLoad, String region, int zones) {
    if (zones < 1) {
      throw new IllegalArgumentException("zones must be >= 1, got " + zones);
    }
    List<String> columns = List.of(rawLoad.columns());
    Dataset<Row> zoneRows = rawLoad.where(col(RawLoadTable.REGION).notEqual(lit(region))
        .and(col(RawLoadTable.LOAD_MW).isNotNull()));
    List<Column> groupKeys = new java.util.ArrayList<>(List.of(col(RawLoadTable.TS)));
    if (columns.contains(RawLoadTable.SOURCE)) {
      groupKeys.add(col(RawLoadTable.SOURCE));
    }
    Dataset<Row> totals = zoneRows.groupBy(groupKeys.toArray(Column[]::new))
        .agg(count(lit(1)).as("_zones"), aggregates(columns).toArray(Column[]::new))
        .where(col("_zones").equalTo(zones))
        .withColumn(RawLoadTable.REGION, lit(region))
        .drop("_zones");
    return rawLoad.where(col(RawLoadTable.REGION).notEqual(lit(region)))
        .unionByName(totals.select(columns.stream().map(c -> col(c)).toArray(Column[]::new)));
  }

  /** The NYISO total of the 11 zones. */
  public static Dataset<Row> withNyisoTotal(Dataset<Row> rawLoad) {
    return withTotal(rawLoad, NYISO, 11);
  }

  /** NYISO's zones plus the total {@link #NYISO} (New York time, NY holidays, weather of KLGA). */
  public static io.nowcast.ingest.region.RegionMap nyisoRegions() {
    List<io.nowcast.ingest.region.Region> regions = new java.util.ArrayList<>(
        io.nowcast.ingest.region.RegionMap.nyiso().all());
    regions.add(new io.nowcast.ingest.region.Region(NYISO, java.time.ZoneId.of("America/New_York"), "US-NY",
        java.util.Map.of("KLGA", 1.0)));
    return new io.nowcast.ingest.region.RegionMap(regions);
  }

  /** The other raw columns of a total row: interval and partition values of its zones. */
  private static List<Column> aggregates(List<String> columns) {
    List<Column> out = new java.util.ArrayList<>(List.of(sum(RawLoadTable.LOAD_MW).as(RawLoadTable.LOAD_MW)));
    for (String column : columns) {
      if (column.equals(RawLoadTable.INGESTED_AT)) {
        out.add(max(column).as(column));
      } else if (!List.of(RawLoadTable.REGION, RawLoadTable.TS, RawLoadTable.LOAD_MW, RawLoadTable.SOURCE)
          .contains(column)) {
        out.add(first(column).as(column));
      }
    }
    return out;
  }
}
