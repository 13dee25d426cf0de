package io.nowcast.models.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Tiny evaluation rows with the awkward cases: a DST change in New York (2019-03-10), a model with
 * quantiles, a point model with gaps, a model that only forecasts on the hour (so common cells matter),
 * missing and zero actuals. Kept as plain records too, so tests can compute expectations by loops.
 */
final class EvaluationFixture {
  static final String XGB = "xgboost";
  static final String PERSISTENCE = "persistence";
  static final String ISO = "iso";
  static final List<String> REGIONS = List.of("TOTAL", "N.Y.C.");
  static final List<Integer> HORIZONS = List.of(15, 60);
  static final Instant FIRST_ISSUE = Instant.parse("2019-03-09T00:00:00Z");
  static final int ISSUES = 3 * 48; // every 30 minutes over three days

  record Pred(String region, Instant issue, int horizon, Instant target, String model,
      Double p10, Double p50, Double p90, Double actual) {}

  static final StructType SCHEMA = new StructType()
      .add("region", DataTypes.StringType)
      .add("issue_ts", DataTypes.TimestampType)
      .add("horizon_min", DataTypes.IntegerType)
      .add("target_ts", DataTypes.TimestampType)
      .add("model", DataTypes.StringType)
      .add("model_version", DataTypes.StringType)
      .add("p10", DataTypes.DoubleType)
      .add("p50", DataTypes.DoubleType)
      .add("p90", DataTypes.DoubleType)
      .add("actual_mw", DataTypes.DoubleType);

  private EvaluationFixture() {}

  static List<Pred> rows(long seed) {
    return rows(seed, REGIONS);
  }

  static List<Pred> rows(long seed, List<String> regions) {
    Random random = new Random(seed);
    List<Pred> out = new ArrayList<>();
    for (int r = 0; r < regions.size(); r++) {
      double base = r == 0 ? 18000 : 5000;
      for (int i = 0; i < ISSUES; i++) {
        Instant issue = FIRST_ISSUE.plus(Duration.ofMinutes(30L * i));
        for (int h : HORIZONS) {
          Instant target = issue.plus(Duration.ofMinutes(h));
          double hours = Duration.between(FIRST_ISSUE, target).toMinutes() / 60.0;
          Double actual = base * (1 + 0.12 * Math.sin(2 * Math.PI * hours / 24)) + random.nextGaussian() * 50;
          if (i % 37 == 5) {
            actual = null;
          } else if (r == 1 && i == 20 && h == 15) {
            actual = 0.0; // a meter outage reported as 0 MW: no MAPE there
          }
          double truth = actual == null ? base : actual;
          double spread = base * 0.004 * h / 15.0;
          double p50 = truth + random.nextGaussian() * spread;
          out.add(new Pred(regions.get(r), issue, h, target, XGB,
              p50 - 1.3 * spread, p50, p50 + 1.3 * spread, actual));
          Double persistence = i % 11 == 3 ? null : truth + random.nextGaussian() * spread * 2.5;
          out.add(new Pred(regions.get(r), issue, h, target, PERSISTENCE, null, persistence, null, actual));
          if (i % 2 == 0) {
            out.add(new Pred(regions.get(r), issue, h, target, ISO, null,
                truth + random.nextGaussian() * spread * 1.8 + 20, null, actual));
          }
        }
      }
    }
    return out;
  }

  static Dataset<Row> dataset(SparkSession spark, List<Pred> preds) {
    List<Row> rows = new ArrayList<>();
    for (Pred p : preds) {
      rows.add(RowFactory.create(p.region(), Timestamp.from(p.issue()), p.horizon(), Timestamp.from(p.target()),
          p.model(), "1", p.p10(), p.p50(), p.p90(), p.actual()));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Rows with both an actual and a P50, as the report scores them. */
  static List<Pred> usable(List<Pred> preds) {
    return preds.stream().filter(p -> p.p50() != null && p.actual() != null).toList();
  }
}
