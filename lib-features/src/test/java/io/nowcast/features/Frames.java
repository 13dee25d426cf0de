package io.nowcast.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tiny DataFrame builders and exact/relative comparisons for the feature tests. */
public final class Frames {
  public static final StructType SERIES =
      new StructType()
          .add(SeriesColumns.REGION, DataTypes.StringType)
          .add(SeriesColumns.TS, DataTypes.TimestampType)
          .add(SeriesColumns.LOAD, DataTypes.DoubleType);

  private Frames() {}

  public static SparkSession spark() {
    return SparkTestSession.get();
  }

  public static Instant at(String isoInstant) {
    return Instant.parse(isoInstant);
  }

  public static Timestamp ts(Instant instant) {
    return Timestamp.from(instant);
  }

  /** One (region, ts, load) point; a null load is an explicit missing value. */
  public record Point(String region, Instant ts, Double load) {}

  public static Dataset<Row> series(List<Point> points) {
    List<Row> rows = new ArrayList<>();
    for (Point p : points) {
      rows.add(RowFactory.create(p.region(), ts(p.ts()), p.load()));
    }
    return spark().createDataFrame(rows, SERIES);
  }

  /** A full regular grid: {@code loads[i]} at {@code start + i·step}, nulls kept as rows. */
  public static List<Point> grid(String region, Instant start, int stepMinutes, Double[] loads) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < loads.length; i++) {
      points.add(new Point(region, start.plusSeconds(60L * stepMinutes * i), loads[i]));
    }
    return points;
  }

  /** Rows keyed by (region, ts instant); fails on a duplicate key. */
  public static Map<String, Row> byRegionAndTs(Dataset<Row> frame, String tsColumn) {
    Map<String, Row> map = new LinkedHashMap<>();
    for (Row row : frame.orderBy(SeriesColumns.REGION, tsColumn).collectAsList()) {
      String key = key(row.getAs(SeriesColumns.REGION), ((Timestamp) row.getAs(tsColumn)).toInstant());
      assertNull(map.put(key, row), "duplicate row for " + key);
    }
    return map;
  }

  public static String key(String region, Instant ts) {
    return region + "@" + ts;
  }

  /** Expected null ⇔ actual null; otherwise |a − e| ≤ rel·max(|e|, 1e-300). */
  public static void assertClose(Double expected, Double actual, double rel, String what) {
    if (expected == null) {
      assertNull(actual, what + ": expected null");
      return;
    }
    assertNotNull(actual, what + ": expected " + expected + " but was null");
    double tolerance = rel * Math.max(Math.abs(expected), 1e-300);
    assertTrue(
        Math.abs(actual - expected) <= tolerance,
        () -> what + ": expected " + expected + " but was " + actual + " (rel. error "
            + Math.abs(actual - expected) / Math.abs(expected) + ")");
  }

  /** Same column names and data types in the same order (nullability is Spark's inference). */
  public static void assertSameColumns(StructType expected, StructType actual) {
    assertEquals(expected.fields().length, actual.fields().length, actual.treeString());
    for (int i = 0; i < expected.fields().length; i++) {
      assertEquals(expected.fields()[i].name(), actual.fields()[i].name(), "column " + i);
      assertEquals(expected.fields()[i].dataType(), actual.fields()[i].dataType(), expected.fields()[i].name());
    }
  }

  /** Exact, null-aware equality of two rows' values, column by column, naming the column. */
  public static void assertSameValues(Row expected, Row actual, String what) {
    assertEquals(expected.length(), actual.length(), what + ": width");
    for (int i = 0; i < expected.length(); i++) {
      Object e = expected.get(i);
      Object a = actual.get(i);
      if (!Objects.equals(e, a)) {
        throw new AssertionError(
            what + ": column " + expected.schema().fieldNames()[i] + " expected <" + e + "> but was <"
                + a + ">");
      }
    }
  }
}
