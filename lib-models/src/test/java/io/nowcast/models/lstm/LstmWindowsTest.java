package io.nowcast.models.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The lookback sequence is a lag in time, checked against a naive lookup by timestamp: exact on the
 * regular grid (the features table: one row per instant, a missing load as a null), and never a value
 * from another instant where the input is not a regular grid.
 */
class LstmWindowsTest {
  private static final long T0 = 1_700_000_100_000L; // on the 5-minute grid
  private static final int LOOKBACK = 5;

  @Test
  void sequenceReadsExactlyKStepsBackInTimeWithGapsAndAbsentRowsNull() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType()
        .add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType)
        .add(FeatureTable.LOAD_NOW, DataTypes.DoubleType);
    // Region A: a regular grid with a missing load at step 3; region B: a plain ramp; region C: an
    // absent row at step 6 (input that is not a regular grid). Interleaved in time, so the window
    // must partition by region.
    Map<String, Map<Long, Double>> loads = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (int step = 0; step < 14; step++) {
      long ts = T0 + step * 300_000L;
      Double a = step == 3 ? null : 1000.0 + 7 * step + (step % 2) * 3;
      rows.add(RowFactory.create("A", new Timestamp(ts), a));
      loads.computeIfAbsent("A", k -> new HashMap<>()).put(ts, a);
      if (step != 6) {
        double c = 300.0 - 2 * step;
        rows.add(RowFactory.create("C", new Timestamp(ts), c));
        loads.computeIfAbsent("C", k -> new HashMap<>()).put(ts, c);
      }
      double b = 50.0 + step;
      rows.add(RowFactory.create("B", new Timestamp(ts), b));
      loads.computeIfAbsent("B", k -> new HashMap<>()).put(ts, b);
    }
    Dataset<Row> features = spark.createDataFrame(rows, schema).repartition(3);
    FeatureSpec spec = new FeatureSpec(5, List.of(), List.of(), List.of(15));

    List<Row> out = LstmWindows.withInputs(features, spec, LOOKBACK, List.of(), false)
        .select(FeatureTable.REGION, FeatureTable.ISSUE_TS, LstmWindows.SEQUENCE, LstmWindows.STATIC)
        .collectAsList();
    assertEquals(rows.size(), out.size());
    int exactOnIrregular = 0;
    for (Row row : out) {
      Map<Long, Double> series = loads.get(row.getString(0));
      long ts = row.getTimestamp(1).getTime();
      Double now = series.get(ts);
      List<Object> sequence = row.getList(2);
      assertEquals(LOOKBACK, sequence.size());
      assertEquals(0, row.getList(3).size());
      for (int k = 0; k < LOOKBACK; k++) {
        Double earlier = series.get(ts - k * 300_000L);
        Object actual = sequence.get(LOOKBACK - 1 - k);
        String where = row.getString(0) + " " + row.getTimestamp(1) + " k=" + k;
        if (now == null || earlier == null) {
          assertNull(actual, where);
        } else if (row.getString(0).equals("C") && actual == null) {
          // Past the absent row, k rows back is no longer k steps back in time: masked, not shifted.
          long absent = T0 + 6 * 300_000L;
          assertTrue(ts - k * 300_000L < absent && absent < ts, where);
        } else {
          assertEquals(earlier / now - 1, (Double) actual, 1e-12, where);
          exactOnIrregular += row.getString(0).equals("C") && k > 0 ? 1 : 0;
        }
      }
    }
    assertTrue(exactOnIrregular > 20, "values read on the irregular series: " + exactOnIrregular);
  }
}
