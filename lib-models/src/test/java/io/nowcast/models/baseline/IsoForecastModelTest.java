package io.nowcast.models.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import io.nowcast.testing.SparkTestSession;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The ISO forecast baseline against a tiny table in the raw iso_forecast shape. */
class IsoForecastModelTest {
  @Test
  void usesThePreviousDaysFileAndTheHourHoldingTheTarget() {
    SparkSession spark = SparkTestSession.get();
    StructType isoSchema = new StructType().add("region", DataTypes.StringType)
        .add("issue_date", DataTypes.DateType).add("target_ts", DataTypes.TimestampType)
        .add("forecast_mw", DataTypes.DoubleType).add("source", DataTypes.StringType)
        .add("ingested_at", DataTypes.TimestampType);
    Timestamp now = Timestamp.valueOf("2026-01-01 00:00:00");
    // Target hour 2019-07-02 15:00 UTC (11:00 New York): the file of 07-01 says 1000, that of 07-02 says 2000.
    Dataset<Row> iso = spark.createDataFrame(List.of(
        RowFactory.create("N.Y.C.", Date.valueOf("2019-07-01"), Timestamp.valueOf("2019-07-02 15:00:00"), 1000.0, "isolf", now),
        RowFactory.create("N.Y.C.", Date.valueOf("2019-07-02"), Timestamp.valueOf("2019-07-02 15:00:00"), 2000.0, "isolf", now),
        RowFactory.create("N.Y.C.", Date.valueOf("2019-07-01"), Timestamp.valueOf("2019-07-02 16:00:00"), 1100.0, "isolf", now)),
        isoSchema);
    StructType featureSchema = new StructType().add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType);
    Dataset<Row> features = spark.createDataFrame(List.of(
        RowFactory.create("N.Y.C.", Timestamp.valueOf("2019-07-02 14:50:00")),
        RowFactory.create("N.Y.C.", Timestamp.valueOf("2019-07-02 15:30:00")),
        RowFactory.create("WEST", Timestamp.valueOf("2019-07-02 14:50:00"))), featureSchema);

    List<Row> out = new IsoForecastModel(iso, "America/New_York", List.of(15, 60)).predict(features)
        .orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS)
        .select(ForecastModel.forecastColumn(IsoForecastModel.NAME, 15),
            ForecastModel.forecastColumn(IsoForecastModel.NAME, 60)).collectAsList();
    // Issued 14:50 UTC = 10:50 in New York on 07-02: the file of 07-01, never the one of 07-02.
    assertEquals(1000.0, out.get(0).getDouble(0)); // target 15:05 -> hour 15:00
    assertEquals(1000.0, out.get(0).getDouble(1)); // target 15:50 -> hour 15:00
    assertEquals(1000.0, out.get(1).getDouble(0)); // issued 15:30, target 15:45 -> hour 15:00
    assertEquals(1100.0, out.get(1).getDouble(1)); // target 16:30 -> hour 16:00
    assertNull(out.get(2).get(0)); // a region the table does not cover
  }

  @Test
  void aTableWithoutTheContractColumnsIsRejected() {
    SparkSession spark = SparkTestSession.get();
    assertThrows(IllegalArgumentException.class, () -> new IsoForecastModel(
        spark.sql("SELECT 'A' AS region"), "UTC", List.of(15)));
  }
}
