package io.nowcast.models.eval;

import static org.apache.spark.sql.functions.col;

import io.nowcast.features.FeatureTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A time-based holdout: the last {@code testDays} of issue times are the test set; training uses issue
 * times before {@code testStart − gap}, so no training target (at most the longest horizon ahead) can
 * fall inside the test period. Never random.
 */
public record TimeSplit(Instant testStart, Instant trainEnd) {

  /** Splits at {@code testDays} before the last issue time, with {@code gap} ≥ the longest horizon. */
  public static TimeSplit lastDays(Dataset<Row> features, int testDays, Duration gap) {
    if (testDays < 1) {
      throw new IllegalArgumentException("evaluate.test_days must be >= 1, got " + testDays);
    }
    Row bounds =
        features.agg(functions.min(FeatureTable.ISSUE_TS), functions.max(FeatureTable.ISSUE_TS)).first();
    if (bounds.isNullAt(0)) {
      throw new IllegalArgumentException("the features table is empty: nothing to split");
    }
    Instant first = bounds.getTimestamp(0).toInstant();
    Instant last = bounds.getTimestamp(1).toInstant();
    Instant testStart = last.minus(Duration.ofDays(testDays));
    Instant trainEnd = testStart.minus(gap);
    if (!trainEnd.isAfter(first.plus(Duration.ofDays(1)))) {
      throw new IllegalArgumentException(
          "data spans " + first + " .. " + last + ": too short for " + testDays
              + " test days plus at least one day of training; use fewer test days or more data");
    }
    return new TimeSplit(testStart, trainEnd);
  }

  public Dataset<Row> train(Dataset<Row> features) {
    return features.where(col(FeatureTable.ISSUE_TS).lt(Timestamp.from(trainEnd)));
  }

  public Dataset<Row> test(Dataset<Row> features) {
    return features.where(col(FeatureTable.ISSUE_TS).geq(Timestamp.from(testStart)));
  }
}
