package io.nowcast.models.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Forecasts and actuals of one region at one horizon over one week, for the forecast-vs-actual plot.
 *
 * @param start first target time shown (inclusive); {@code end} = start + 7 days (exclusive)
 * @param actual the actual load by target time, sorted
 * @param forecasts per model, its forecasts sorted by target time
 */
public record SampleWeek(
    String region,
    int horizonMin,
    Instant start,
    Instant end,
    List<Observation> actual,
    Map<String, List<Forecast>> forecasts) {

  /** One week of 5-minute target times. */
  public static final int MAX_POINTS_PER_MODEL = 7 * 24 * 12;
  /** Bounds the collect: this many models at most. */
  public static final int MAX_MODELS = 32;

  /** The actual load at a target time, MW. */
  public record Observation(Instant targetTs, double mw) {}

  /** A model's forecast at a target time, MW; {@code p10}/{@code p90} are NaN for point forecasts. */
  public record Forecast(Instant targetTs, double p10, double p50, double p90) {
    public boolean hasBand() {
      return !Double.isNaN(p10) && !Double.isNaN(p90);
    }
  }

  public SampleWeek {
    actual = List.copyOf(actual);
    Map<String, List<Forecast>> copy = new TreeMap<>();
    forecasts.forEach((model, points) -> copy.put(model, List.copyOf(points)));
    forecasts = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The start of the last full week of {@code region}'s target times at {@code horizonMin}: the latest
   * target time minus 7 days (one small aggregation).
   */
  public static Instant lastWeekStart(Dataset<Row> rows, String region, int horizonMin) {
    Row last = EvaluationRows.usable(rows)
        .where(col(EvaluationRows.REGION).equalTo(region).and(col(EvaluationRows.HORIZON_MIN).equalTo(horizonMin)))
        .agg(max(EvaluationRows.TARGET_TS))
        .first();
    if (last.isNullAt(0)) {
      throw new IllegalArgumentException(
          "no evaluation rows for region " + region + " at horizon " + horizonMin + " min");
    }
    return instant(last.get(0)).minus(Duration.ofDays(7)).plusSeconds(1);
  }

  /**
   * Collects the week starting at {@code start}. At most {@link #MAX_POINTS_PER_MODEL} rows per model
   * and {@link #MAX_MODELS} models are collected; more means duplicate rows and fails.
   */
  public static SampleWeek compute(Dataset<Row> rows, String region, int horizonMin, Instant start) {
    Instant end = start.plus(Duration.ofDays(7));
    int bound = MAX_POINTS_PER_MODEL * MAX_MODELS;
    List<Row> collected = EvaluationRows.usable(rows)
        .where(col(EvaluationRows.REGION).equalTo(region)
            .and(col(EvaluationRows.HORIZON_MIN).equalTo(horizonMin))
            .and(col(EvaluationRows.TARGET_TS).geq(Timestamp.from(start)))
            .and(col(EvaluationRows.TARGET_TS).lt(Timestamp.from(end))))
        .select(EvaluationRows.TARGET_TS, EvaluationRows.MODEL, EvaluationRows.P10, EvaluationRows.P50,
            EvaluationRows.P90, EvaluationRows.ACTUAL)
        .limit(bound + 1)
        .collectAsList();
    if (collected.isEmpty()) {
      throw new IllegalArgumentException("no evaluation rows for region " + region + " at horizon "
          + horizonMin + " min with a target time in [" + start + ", " + end + ")");
    }
    if (collected.size() > bound) {
      throw new IllegalArgumentException("more than " + bound + " rows for one region-week at horizon "
          + horizonMin + " min: duplicate rows per target time and model, or over " + MAX_MODELS + " models");
    }
    TreeMap<Instant, Double> actual = new TreeMap<>();
    Map<String, List<Forecast>> forecasts = new HashMap<>();
    for (Row r : collected) {
      Instant ts = instant(r.get(0));
      actual.put(ts, r.getDouble(5));
      forecasts.computeIfAbsent(r.getString(1), m -> new ArrayList<>())
          .add(new Forecast(ts, orNaN(r, 2), r.getDouble(3), orNaN(r, 4)));
    }
    for (Map.Entry<String, List<Forecast>> e : forecasts.entrySet()) {
      if (e.getValue().size() > MAX_POINTS_PER_MODEL) {
        throw new IllegalArgumentException("model " + e.getKey() + " has " + e.getValue().size()
            + " rows in one region-week at one horizon (at most " + MAX_POINTS_PER_MODEL
            + " expected): duplicate rows per target time?");
      }
      e.getValue().sort((a, b) -> a.targetTs().compareTo(b.targetTs()));
    }
    List<Observation> observations = new ArrayList<>();
    actual.forEach((ts, mw) -> observations.add(new Observation(ts, mw)));
    return new SampleWeek(region, horizonMin, start, end, observations, forecasts);
  }

  private static double orNaN(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  /** Spark returns {@code Timestamp}, or {@code Instant} with the Java 8 time API enabled. */
  static Instant instant(Object value) {
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof Instant i) {
      return i;
    }
    throw new IllegalArgumentException("not a timestamp: " + value);
  }
}
