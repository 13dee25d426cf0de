package io.nowcast.models.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nowcast.features.FeatureTable;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Metrics from Spark sums against a plain loop over the same rows. */
class ForecastEvaluatorTest {
  private static final String M = "m";
  private static final String ISO = "iso";

  @Test
  void metricsMatchAPlainLoopOverallPerRegionAndOnlyOnCommonRows() {
    SparkSession spark = SparkTestSession.get();
    Random random = new Random(3);
    List<Object[]> data = new ArrayList<>();
    long start = Timestamp.valueOf("2024-03-01 00:00:00").getTime();
    for (int i = 0; i < 200; i++) {
      String region = i % 2 == 0 ? "A" : "B";
      double actual = 100 + 50 * random.nextDouble();
      Double persistence = i == 7 ? null : actual + 10 * random.nextGaussian();
      double p50 = actual + 4 * random.nextGaussian();
      double p10 = p50 - 3 - 3 * random.nextDouble();
      double p90 = p50 + 3 + 3 * random.nextDouble();
      Double iso = i % 3 == 0 ? null : actual + 6 * random.nextGaussian();
      data.add(new Object[] {region, new Timestamp(start + i * 300_000L), actual, persistence, p50, p10, p90, iso});
    }
    List<Row> rows = data.stream().map(RowFactory::create).toList();
    StructType schema = new StructType()
        .add(FeatureTable.REGION, DataTypes.StringType).add(FeatureTable.ISSUE_TS, DataTypes.TimestampType)
        .add(FeatureTable.target(15), DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn(Baselines.PERSISTENCE, 15), DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn(M, 15), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn(M, 15, 0.1), DataTypes.DoubleType)
        .add(ForecastModel.quantileColumn(M, 15, 0.9), DataTypes.DoubleType)
        .add(ForecastModel.forecastColumn(ISO, 15), DataTypes.DoubleType);
    Dataset<Row> scored = spark.createDataFrame(rows, schema);

    EvaluationReport report = ForecastEvaluator.report(scored,
        List.of(new ScoredModel(M, List.of(0.1, 0.9), false), ScoredModel.point(Baselines.PERSISTENCE),
            new ScoredModel(ISO, List.of(), true)),
        List.of(15), ForecastModel::forecastColumn);

    // Row 7 has no persistence forecast: no model is scored on it.
    HorizonMetrics m = find(report.overall(), M);
    assertExpected(m, data, null, false);
    HorizonMetrics regionB = report.slices().stream()
        .filter(s -> s.dimension().equals(SliceMetrics.REGION) && s.key().equals("B") && s.metrics().model().equals(M))
        .findFirst().orElseThrow().metrics();
    assertExpected(regionB, data, "B", false);
    // The partial model only where it exists; its skill against persistence on those rows.
    assertExpected(find(report.overall(), ISO), data, null, true);
  }

  @Test
  void aFullModelMissingEverywhereIsAnError() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType).add(FeatureTable.target(15), DataTypes.DoubleType)
        .add("x_h15", DataTypes.DoubleType);
    Dataset<Row> scored = spark.createDataFrame(
        List.of(RowFactory.create("A", Timestamp.valueOf("2024-01-01 00:00:00"), 10.0, null)), schema);
    assertThrows(IllegalStateException.class,
        () -> ForecastEvaluator.evaluate(scored, List.of("x"), List.of(15), ForecastModel::forecastColumn));
  }

  private static HorizonMetrics find(List<HorizonMetrics> metrics, String model) {
    return metrics.stream().filter(x -> x.model().equals(model)).findFirst().orElseThrow();
  }

  private static void assertExpected(HorizonMetrics got, List<Object[]> data, String region, boolean iso) {
    double ae = 0, se = 0, ape = 0, sape = 0, refAe = 0, pinball = 0;
    long n = 0, covered = 0;
    for (Object[] r : data) {
      if (r[3] == null || (region != null && !region.equals(r[0])) || (iso && r[7] == null)) {
        continue;
      }
      double actual = (Double) r[2];
      double f = iso ? (Double) r[7] : (Double) r[4];
      double e = f - actual;
      n++;
      ae += Math.abs(e);
      se += e * e;
      ape += Math.abs(e) / actual;
      sape += 2 * Math.abs(e) / (Math.abs(f) + Math.abs(actual));
      refAe += Math.abs((Double) r[3] - actual);
      if (!iso) {
        double[] qs = {0.1, 0.5, 0.9};
        double[] fs = {(Double) r[5], (Double) r[4], (Double) r[6]};
        double loss = 0;
        for (int k = 0; k < 3; k++) {
          double d = actual - fs[k];
          loss += Math.max(qs[k] * d, (qs[k] - 1) * d);
        }
        pinball += loss / 3;
        covered += actual >= fs[0] && actual <= fs[2] ? 1 : 0;
      }
    }
    assertEquals(n, got.count());
    assertEquals(ae / n, got.mae(), 1e-9);
    assertEquals(Math.sqrt(se / n), got.rmse(), 1e-9);
    assertEquals(100 * ape / n, got.mape(), 1e-9);
    assertEquals(100 * sape / n, got.smape(), 1e-9);
    assertEquals(1 - ae / refAe, got.skill(), 1e-9);
    if (!iso) {
      assertEquals(pinball / n, got.pinball(), 1e-9);
      assertEquals((double) covered / n, got.coverage(), 1e-12);
    }
  }
}
