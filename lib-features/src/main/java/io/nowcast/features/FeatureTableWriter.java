package io.nowcast.features;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a features table: Parquet partitioned by {@link FeatureTable#MONTH}, rows of each file
 * sorted by region and issue time. One place for the layout, so {@code nowcast features} and {@code
 * nowcast bench features} write (and measure) the same thing.
 *
 * <p>Cost: the rows arrive partitioned by region and sorted by (region, ts) from the feature windows.
 * Repartitioning them by month would shuffle every wide row (≈ 100 doubles) once more; instead each
 * task writes its regions' rows and the writer's own sort by month (a local sort, no exchange)
 * groups them into the month directories.
 */
public final class FeatureTableWriter {
  private FeatureTableWriter() {}

  /** Writes {@code features} (FeatureBuilder output) to {@code path}, replacing what was there. */
  public static void write(Dataset<Row> features, String path) {
    features
        .sortWithinPartitions(col(FeatureTable.MONTH), col(FeatureTable.REGION), col(FeatureTable.ISSUE_TS))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(FeatureTable.MONTH)
        .parquet(path);
  }
}
