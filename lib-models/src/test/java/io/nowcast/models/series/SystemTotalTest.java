package io.nowcast.models.series;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SystemTotalTest {
  @Test
  void sumsZonesOnlyWhereEveryZoneIsPresent() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    Map<Timestamp, Double> expected = new TreeMap<>();
    long start = Timestamp.valueOf("2019-01-01 00:00:00").getTime();
    for (int i = 0; i < 6; i++) {
      Timestamp ts = new Timestamp(start + i * 300_000L);
      double total = 0;
      boolean complete = true;
      for (String zone : List.of("Z1", "Z2", "Z3")) {
        if (i == 2 && zone.equals("Z2")) {
          complete = false; // a missing zone: no total at this instant
          continue;
        }
        Double load = i == 4 && zone.equals("Z3") ? null : 100.0 * (zone.charAt(1) - '0') + i;
        if (load == null) {
          complete = false; // an empty load counts as missing too
        } else {
          total += load;
        }
        rows.add(RowFactory.create(zone, ts, load, "nyiso-pal", 5));
      }
      if (complete) {
        expected.put(ts, total);
      }
    }
    StructType schema = new StructType().add(RawLoadTable.REGION, DataTypes.StringType)
        .add(RawLoadTable.TS, DataTypes.TimestampType).add(RawLoadTable.LOAD_MW, DataTypes.DoubleType)
        .add(RawLoadTable.SOURCE, DataTypes.StringType).add(RawLoadTable.INTERVAL_MIN, DataTypes.IntegerType);
    Dataset<Row> raw = spark.createDataFrame(rows, schema);

    Dataset<Row> out = SystemTotal.withTotal(raw, "TOTAL", 3);
    assertEquals(List.of(raw.columns()), List.of(out.columns()));
    Map<Timestamp, Double> got = new TreeMap<>();
    for (Row r : out.where("region = 'TOTAL'").collectAsList()) {
      got.put(r.getTimestamp(1), r.getDouble(2));
      assertEquals(5, r.getInt(4));
      assertEquals("nyiso-pal", r.getString(3));
    }
    assertEquals(expected, got);
    assertEquals(raw.count(), out.where("region <> 'TOTAL'").count());
  }
}
