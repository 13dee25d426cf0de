package io.nowcast.features.weather;

import static io.nowcast.features.Frames.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.Frames;
import io.nowcast.features.SeriesColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WeatherFeatureStageTest {
  private static final StructType ALIGNED =
      new StructType()
          .add(SeriesColumns.REGION, DataTypes.StringType)
          .add(SeriesColumns.TS, DataTypes.TimestampType)
          .add(WeatherAligner.TEMP_C, DataTypes.DoubleType)
          .add(WeatherAligner.RH_PCT, DataTypes.DoubleType);
  private static final Instant START = at("2024-07-01T00:00:00Z");
  private static final int STEPS = 96;

  /** Eight hours of 5-minute aligned weather with a few nulls, region A only. */
  private static Double[][] values() {
    Random random = new Random(17);
    Double[] temp = new Double[STEPS];
    Double[] rh = new Double[STEPS];
    for (int i = 0; i < STEPS; i++) {
      temp[i] = i % 17 == 3 ? null : 12 + 0.1 * i + random.nextGaussian();
      rh[i] = i % 13 == 5 ? null : 40 + 30 * random.nextDouble();
    }
    return new Double[][] {temp, rh};
  }

  private static Dataset<Row> frame(Double[] temp, Double[] rh) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      rows.add(RowFactory.create("A", Frames.ts(START.plusSeconds(300L * i)), temp[i], rh[i]));
    }
    return Frames.spark().createDataFrame(rows, ALIGNED);
  }

  @Test
  void deltasDegreeDaysSquareAndHumidityProductMatchPlainJava() {
    Double[][] v = values();
    Double[] temp = v[0];
    Double[] rh = v[1];
    WeatherFeatureStage stage = new WeatherFeatureStage();
    Dataset<Row> out = stage.transform(frame(temp, rh));
    Frames.assertSameColumns(stage.transformSchema(ALIGNED), out.schema());
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);
    int deltas = 0;
    for (int i = 0; i < STEPS; i++) {
      Row row = rows.get(Frames.key("A", START.plusSeconds(300L * i)));
      String what = "row " + i;
      for (int k : new int[] {60, 120, 180}) {
        int j = i - k / 5;
        Double expected = j < 0 || temp[i] == null || temp[j] == null ? null : temp[i] - temp[j];
        assertEquals(expected, row.getAs(WeatherFeatureStage.tempDelta(k)), what + " delta " + k);
        deltas += expected == null ? 0 : 1;
      }
      Double t = temp[i];
      assertEquals(t == null ? null : Math.max(t - 18.0, 0.0), row.getAs(WeatherFeatureStage.CDD), what);
      assertEquals(t == null ? null : Math.max(18.0 - t, 0.0), row.getAs(WeatherFeatureStage.HDD), what);
      assertEquals(t == null ? null : t * t, row.getAs(WeatherFeatureStage.TEMP_SQUARED), what);
      assertEquals(
          t == null || rh[i] == null ? null : t * rh[i] / 100.0, row.getAs(WeatherFeatureStage.TEMP_X_RH), what);
    }
    assertTrue(deltas > 150, "deltas checked: " + deltas);
    // Both sides of the 18 °C base occur (12 … 21.5 °C over the eight hours).
    assertTrue(rows.values().stream().anyMatch(r -> r.getAs(WeatherFeatureStage.CDD) != null
        && (Double) r.getAs(WeatherFeatureStage.CDD) > 0));
    assertTrue(rows.values().stream().anyMatch(r -> r.getAs(WeatherFeatureStage.HDD) != null
        && (Double) r.getAs(WeatherFeatureStage.HDD) > 0));
    // Off by default: no column reads weather after issue time.
    assertFalse(List.of(out.columns()).stream().anyMatch(c -> c.endsWith("_at_target_actual")));
  }

  @Test
  void weatherAtTargetTimeOnlyBehindTheFlagAndClearlyNamed() {
    Double[][] v = values();
    WeatherFeatureStage stage =
        new WeatherFeatureStage().setAtTargetActual(true).setHorizonsMinutes(new int[] {15, 60});
    Dataset<Row> out = stage.transform(frame(v[0], v[1]));
    Frames.assertSameColumns(stage.transformSchema(ALIGNED), out.schema());
    assertTrue(List.of(out.columns()).contains("temp_c_h60_at_target_actual"));
    Map<String, Row> rows = Frames.byRegionAndTs(out, SeriesColumns.TS);
    for (int i = 0; i < STEPS; i++) {
      Row row = rows.get(Frames.key("A", START.plusSeconds(300L * i)));
      for (int h : new int[] {15, 60}) {
        int j = i + h / 5;
        assertEquals(j < STEPS ? v[0][j] : null, row.getAs(WeatherFeatureStage.tempAtTargetActual(h)), "row " + i);
      }
    }
    assertNull(rows.get(Frames.key("A", START.plusSeconds(300L * (STEPS - 1))))
        .getAs(WeatherFeatureStage.tempAtTargetActual(15)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WeatherFeatureStage().setDeltasMinutes(new int[] {7}).transformSchema(ALIGNED));
  }
}
