package io.nowcast.ingest.quality;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tiny raw load frames for the quality tests: region, ts, load_mw, source, ingested_at. */
final class QualityFrames {
  static final StructType SCHEMA =
      new StructType()
          .add(RawLoadTable.REGION, DataTypes.StringType, false)
          .add(RawLoadTable.TS, DataTypes.TimestampType, false)
          .add(RawLoadTable.LOAD_MW, DataTypes.DoubleType, true)
          .add(RawLoadTable.SOURCE, DataTypes.StringType, false)
          .add(RawLoadTable.INGESTED_AT, DataTypes.TimestampType, false);
  static final Timestamp INGESTED = Timestamp.from(Instant.parse("2024-01-01T00:00:00Z"));

  private final List<Row> rows = new ArrayList<>();

  /** Readings every 5 minutes from {@code start}; a NaN leaves the instant absent, a null is an empty load. */
  QualityFrames series(String region, String start, Double... loads) {
    Instant t = Instant.parse(start);
    for (Double load : loads) {
      if (load == null || !load.isNaN()) {
        rows.add(RowFactory.create(region, Timestamp.from(t), load, "test", INGESTED));
      }
      t = t.plusSeconds(300);
    }
    return this;
  }

  QualityFrames row(String region, String ts, Double load, Timestamp ingestedAt) {
    rows.add(RowFactory.create(region, Timestamp.from(Instant.parse(ts)), load, "test", ingestedAt));
    return this;
  }

  Dataset<Row> frame() {
    return SparkTestSession.get().createDataFrame(rows, SCHEMA);
  }

  /** n readings that never repeat and never jump: 1000, 1001, ... */
  static Double[] ramp(int n, double from) {
    Double[] values = new Double[n];
    for (int i = 0; i < n; i++) {
      values[i] = from + i;
    }
    return values;
  }

  /** Report rows by "region|yyyy-MM-dd". */
  static Map<String, Row> byDay(QualityResult result) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : result.report().collectAsList()) {
      out.put(r.getAs(QualityReportTable.REGION) + "|" + r.getAs(QualityReportTable.DAY), r);
    }
    return out;
  }

  /** Loads of the cleaned rows by epoch second (region {@code region}). */
  static Map<Long, Double> loads(Dataset<Row> cleaned, String region) {
    Map<Long, Double> out = new HashMap<>();
    for (Row r : cleaned.where(cleaned.col(RawLoadTable.REGION).equalTo(region)).collectAsList()) {
      Object load = r.getAs(RawLoadTable.LOAD_MW);
      out.put(r.<Timestamp>getAs(RawLoadTable.TS).toInstant().getEpochSecond(), (Double) load);
    }
    return out;
  }

  static QualitySettings warnOnly() {
    return QualitySettings.defaults().withAllPolicies(QualityPolicy.WARN);
  }
}
