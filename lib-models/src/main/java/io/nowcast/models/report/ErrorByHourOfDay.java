package io.nowcast.models.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_seconds;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Point-forecast error of each model by the local hour of day of the target time: MAE (MW) and MAPE
 * (%), at one horizon or over all horizons.
 *
 * @param zone the zone whose wall-clock hour is used (DST-aware)
 * @param horizonMin the horizon the rows were restricted to, empty for all horizons
 */
public record ErrorByHourOfDay(ZoneId zone, OptionalInt horizonMin, List<Entry> entries) {

  /** @param hour local hour of the target time, 0–23 */
  public record Entry(String model, int hour, long count, double maeMw, double mapePct) {}

  public ErrorByHourOfDay {
    entries = entries.stream()
        .sorted(Comparator.comparing(Entry::model).thenComparingInt(Entry::hour))
        .toList();
  }

  /**
   * Aggregates evaluation rows in Spark; collects at most 24 rows per model.
   *
   * @param horizonMin only rows at this horizon, or empty for all
   */
  public static ErrorByHourOfDay compute(Dataset<Row> rows, ZoneId zone, OptionalInt horizonMin) {
    Dataset<Row> usable = EvaluationRows.usable(rows);
    if (horizonMin.isPresent()) {
      usable = usable.where(col(EvaluationRows.HORIZON_MIN).equalTo(horizonMin.getAsInt()));
    }
    List<Entry> entries = new ArrayList<>();
    for (Row r : usable
        .groupBy(col(EvaluationRows.MODEL), localHour(col(EvaluationRows.TARGET_TS), zone).as("hour"))
        .agg(count(lit(1)), avg(ErrorByHorizon.absoluteError()), avg(ErrorByHorizon.absolutePercentError()))
        .collectAsList()) {
      entries.add(new Entry(r.getString(0), r.getInt(1), r.getLong(2), r.getDouble(3), ErrorByHorizon.orNaN(r, 4)));
    }
    return new ErrorByHourOfDay(zone, horizonMin, entries);
  }

  /**
   * The wall-clock hour of {@code ts} in {@code zone}, whatever the session time zone. {@code
   * from_utc_timestamp} shifts the instant by the zone's offset at that instant (DST-aware), so the
   * shifted value's UTC hour is the local hour; it is read from epoch seconds because {@code hour()}
   * would read it in the session time zone.
   */
  static Column localHour(Column ts, ZoneId zone) {
    Column shifted = unix_seconds(from_utc_timestamp(ts, zone.getId()));
    return pmod(floor(shifted.divide(3600)), lit(24)).cast(DataTypes.IntegerType);
  }

  public List<String> models() {
    return List.copyOf(new TreeSet<>(entries.stream().map(Entry::model).toList()));
  }

  public Optional<Entry> get(String model, int hour) {
    return entries.stream().filter(e -> e.model().equals(model) && e.hour() == hour).findFirst();
  }
}
