package io.nowcast.features.weather;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.nowcast.features.FeatureStage;
import io.nowcast.features.FusibleStage;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.WindowTerms;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Weather features derived from the aligned weather ({@link WeatherAligner}: {@code temp_c}, {@code
 * rh_pct} as of issue time):
 *
 * <ul>
 *   <li>{@code temp_delta_<k>m}: {@code temp_c} now minus {@code temp_c} {@code k} minutes earlier
 *       (default 1, 2 and 3 hours) — both as-of values, so both at or before issue time;
 *   <li>{@code weather_cdd}, {@code weather_hdd}: cooling and heating degrees against {@code
 *       degreeDayBaseC} (18 °C), {@code max(temp − base, 0)} and {@code max(base − temp, 0)};
 *   <li>{@code temp_c_sq}: temperature squared (the U-shaped load response);
 *   <li>{@code temp_x_rh}: temperature × relative humidity as a fraction ({@code temp_c · rh_pct /
 *       100}), the muggy-heat interaction.
 * </ul>
 *
 * <p>Hourly observations are not interpolated to 5 minutes: interpolating towards the next
 * observation would read one stamped after issue time. The as-of value plus its age ({@code
 * weather_age_min}) and these deltas carry the same information without leakage.
 *
 * <p>Weather at the target time, {@code temp_c_h<h>_at_target_actual} for each of {@code
 * horizonsMinutes}, is built only when {@code atTargetActual} is set (default off). It is the aligned
 * actual temperature at {@code issue_ts + h} — observations after issue time, a stand-in for a weather
 * forecast that would be available in production. It is the one deliberate exception to "no feature
 * looks ahead": runs using it must say so and never report headline metrics.
 *
 * <p>Invariants: apart from the flagged columns, only values at or before issue time; a derived value
 * is null where its inputs are; deltas are read exactly {@code k} minutes back in time (null where the
 * row {@code k/step} back is not that far back).
 */
public final class WeatherFeatureStage extends FeatureStage implements FusibleStage {
  private static final long serialVersionUID = 1L;

  public static final String CDD = "weather_cdd";
  public static final String HDD = "weather_hdd";
  public static final String TEMP_SQUARED = "temp_c_sq";
  public static final String TEMP_X_RH = "temp_x_rh";

  // Spark ML finds params through public no-argument methods returning a Param, not fields.
  private final IntParam stepMinutes =
      new IntParam(this, "stepMinutes", "grid step in minutes", ParamValidators.gt(0));
  private final IntArrayParam deltasMinutes =
      new IntArrayParam(this, "deltasMinutes", "minutes before issue time to take temperature changes against");
  private final DoubleParam degreeDayBaseC =
      new DoubleParam(this, "degreeDayBaseC", "base temperature of cooling/heating degrees, °C");
  private final BooleanParam atTargetActual =
      new BooleanParam(
          this, "atTargetActual",
          "add actual temperature at each target time as a stand-in for a forecast (reads after issue time)");
  private final IntArrayParam horizonsMinutes =
      new IntArrayParam(this, "horizonsMinutes", "horizons of the at-target-actual columns");

  public WeatherFeatureStage(String uid) {
    super(uid);
    setDefault(stepMinutes, 5);
    setDefault(deltasMinutes, new int[] {60, 120, 180});
    setDefault(degreeDayBaseC, 18.0);
    setDefault(atTargetActual, false);
    setDefault(horizonsMinutes, new int[] {15, 30, 45, 60});
  }

  public WeatherFeatureStage() {
    this(Identifiable.randomUID("weatherFeatures"));
  }

  /** Name of the temperature change over the last {@code minutes}. */
  public static String tempDelta(int minutes) {
    return "temp_delta_" + minutes + "m";
  }

  /** Name of the actual temperature at the target time of {@code horizonMinutes} (flagged runs only). */
  public static String tempAtTargetActual(int horizonMinutes) {
    return WeatherAligner.TEMP_C + "_h" + horizonMinutes + "_at_target_actual";
  }

  public IntParam stepMinutes() {
    return stepMinutes;
  }

  public IntArrayParam deltasMinutes() {
    return deltasMinutes;
  }

  public DoubleParam degreeDayBaseC() {
    return degreeDayBaseC;
  }

  public BooleanParam atTargetActual() {
    return atTargetActual;
  }

  public IntArrayParam horizonsMinutes() {
    return horizonsMinutes;
  }

  public int getStepMinutes() {
    return (Integer) $(stepMinutes);
  }

  public int[] getDeltasMinutes() {
    return $(deltasMinutes);
  }

  public double getDegreeDayBaseC() {
    return (Double) $(degreeDayBaseC);
  }

  public boolean getAtTargetActual() {
    return (Boolean) $(atTargetActual);
  }

  public int[] getHorizonsMinutes() {
    return $(horizonsMinutes);
  }

  public WeatherFeatureStage setStepMinutes(int value) {
    set(stepMinutes, value);
    return this;
  }

  public WeatherFeatureStage setDeltasMinutes(int[] value) {
    set(deltasMinutes, value);
    return this;
  }

  public WeatherFeatureStage setDegreeDayBaseC(double value) {
    set(degreeDayBaseC, value);
    return this;
  }

  public WeatherFeatureStage setAtTargetActual(boolean value) {
    set(atTargetActual, value);
    return this;
  }

  public WeatherFeatureStage setHorizonsMinutes(int[] value) {
    set(horizonsMinutes, value);
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return transformAlone(this, dataset, getStepMinutes());
  }

  @Override
  public Map<String, Column> newColumns(Dataset<Row> frame, WindowTerms terms) {
    Column temp = col(WeatherAligner.TEMP_C);
    Column rh = col(WeatherAligner.RH_PCT);
    double base = getDegreeDayBaseC();
    Map<String, Column> columns = new LinkedHashMap<>();
    for (int minutes : getDeltasMinutes()) {
      Column earlier = SeriesColumns.earlier(terms, WeatherAligner.TEMP_C, temp, minutes, getStepMinutes());
      columns.put(tempDelta(minutes), temp.minus(earlier));
    }
    // greatest() skips nulls, so guard it: a missing temperature has no degree days.
    columns.put(CDD, when(temp.isNotNull(), greatest(temp.minus(base), lit(0.0))));
    columns.put(HDD, when(temp.isNotNull(), greatest(lit(base).minus(temp), lit(0.0))));
    columns.put(TEMP_SQUARED, temp.multiply(temp));
    columns.put(TEMP_X_RH, temp.multiply(rh).divide(100.0));
    if (getAtTargetActual()) {
      for (int horizon : getHorizonsMinutes()) {
        columns.put(tempAtTargetActual(horizon),
            SeriesColumns.later(terms, WeatherAligner.TEMP_C, temp, horizon, getStepMinutes()));
      }
    }
    return columns;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    require(schema, SeriesColumns.REGION, "WeatherFeatureStage");
    require(schema, SeriesColumns.TS, "WeatherFeatureStage");
    require(schema, WeatherAligner.TEMP_C, "WeatherFeatureStage");
    require(schema, WeatherAligner.RH_PCT, "WeatherFeatureStage");
    int step = getStepMinutes();
    StructType out = schema;
    for (int minutes : getDeltasMinutes()) {
      if (minutes <= 0 || minutes % step != 0) {
        throw new IllegalArgumentException(
            "WeatherFeatureStage: delta " + minutes + " min is not a positive multiple of the " + step
                + "-minute step");
      }
      out = added(out, tempDelta(minutes));
    }
    for (String name : new String[] {CDD, HDD, TEMP_SQUARED, TEMP_X_RH}) {
      out = added(out, name);
    }
    if (getAtTargetActual()) {
      for (int horizon : getHorizonsMinutes()) {
        if (horizon <= 0 || horizon % step != 0) {
          throw new IllegalArgumentException(
              "WeatherFeatureStage: horizon " + horizon + " min is not a positive multiple of " + step);
        }
        out = added(out, tempAtTargetActual(horizon));
      }
    }
    return out;
  }

  private static StructType added(StructType schema, String name) {
    requireAbsent(schema, name, "WeatherFeatureStage");
    return schema.add(name, DataTypes.DoubleType);
  }

  public static MLReader<WeatherFeatureStage> read() {
    return new DefaultParamsReader<>();
  }

  public static WeatherFeatureStage load(String path) {
    return read().load(path);
  }
}
