package io.nowcast.models.eval;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.models.ForecastModel;
import io.nowcast.models.ModelContext;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.ModelTypes;
import io.nowcast.models.baseline.Baselines;
import io.nowcast.models.xgb.XgbSettings;
import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BacktestTest {
  private static final FeatureSpec SPEC = new FeatureSpec(5, List.of(5, 1425, 1440), List.of(), List.of(15));

  @Test
  void aGapShorterThanTheLongestHorizonIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BacktestPlan.of(2, Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2019-01-03T00:00:00Z"), 30, 60));
    assertTrue(e.getMessage().contains("backtest.gap_minutes") && e.getMessage().contains("60"), e.getMessage());
  }

  @Test
  void foldsTileTheTestPeriodAndTrainOnlyBeforeTheGap() {
    BacktestPlan plan = BacktestPlan.of(3, Instant.parse("2019-01-01T00:00:00Z"),
        Instant.parse("2019-01-04T00:00:00Z"), 60, 60);
    List<BacktestPlan.Fold> folds = plan.foldList();
    assertEquals(3, folds.size());
    assertEquals(Instant.parse("2019-01-02T00:00:00Z"), folds.get(1).testStart());
    assertEquals(folds.get(0).testEnd(), folds.get(1).testStart());
    assertEquals(Instant.parse("2019-01-04T00:00:00Z"), folds.get(2).testEnd());
    assertEquals(Instant.parse("2019-01-01T23:00:00Z"), folds.get(1).trainEnd());
  }

  @Test
  void everyModelIsScoredOnTheSameRowsOfEachFoldAndATypeIsOneLine() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> features = features(spark, 4);
    // A model type added with one line: the mean of persistence and the seasonal naive forecast.
    ModelTypes types = ModelTypes.standard().register("blend", (c, train) -> new Blend(), (c, dir) -> new Blend());
    ModelContext context = new ModelContext(spark, new ModelInputs(SPEC), XgbSettings.defaults(), Map.of(), Map.of());
    BacktestPlan plan = BacktestPlan.of(2, Instant.parse("2019-01-03T00:00:00Z"),
        Instant.parse("2019-01-05T00:00:00Z"), 60, 15);

    Backtest.Result result = new Backtest(types, context,
        List.of(Baselines.PERSISTENCE, Baselines.SEASONAL_DAY, "blend")).run(features, plan);

    assertEquals(2, result.folds().size());
    long total = 0;
    for (Backtest.FoldResult fold : result.folds()) {
      long expected = features.where(col(FeatureTable.ISSUE_TS).geq(Timestamp.from(fold.fold().testStart()))
          .and(col(FeatureTable.ISSUE_TS).lt(Timestamp.from(fold.fold().testEnd())))).count();
      assertEquals(expected, fold.testRows());
      assertEquals(3, fold.trainSeconds().size());
      total += expected;
    }
    // Scored rows: those with a target (the last 15 minutes of the data have none).
    long scorable = features.where(col(FeatureTable.ISSUE_TS).geq(Timestamp.valueOf("2019-01-03 00:00:00"))
        .and(col(FeatureTable.target(15)).isNotNull())).count();
    for (HorizonMetrics m : result.pooled().overall()) {
      assertEquals(scorable, m.count(), m.toString());
    }
    assertTrue(total >= scorable);
    HorizonMetrics blend = result.pooled().overall().stream().filter(m -> m.model().equals("blend")).findFirst().orElseThrow();
    assertTrue(blend.skill() > 0, "the blend should beat persistence on this series: " + blend);
  }

  @Test
  void unknownModelTypesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelTypes.standard().get("prophet"));
    assertTrue(e.getMessage().contains("xgboost"), e.getMessage());
  }

  /** A daily sine with a slow trend, 5-minute steps, and the lags and target the baselines read. */
  private static Dataset<Row> features(SparkSession spark, int days) {
    List<Row> rows = new ArrayList<>();
    long start = Timestamp.valueOf("2019-01-01 00:00:00").getTime();
    int steps = days * 288;
    for (int i = 0; i < steps; i++) {
      Double y15 = i + 3 < steps ? load(i + 3) : null;
      rows.add(RowFactory.create("R", new Timestamp(start + i * 300_000L), load(i), load(i - 1),
          load(i - 285), load(i - 288), y15));
    }
    StructType schema = new StructType().add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType).add(FeatureTable.LOAD_NOW, DataTypes.DoubleType)
        .add(FeatureTable.lag(5), DataTypes.DoubleType).add(FeatureTable.lag(1425), DataTypes.DoubleType)
        .add(FeatureTable.lag(1440), DataTypes.DoubleType).add(FeatureTable.target(15), DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static double load(int step) {
    return 1000 + 300 * Math.sin(2 * Math.PI * step / 288.0) + 0.05 * step;
  }

  private static final class Blend implements ForecastModel {
    @Override
    public String name() {
      return "blend";
    }

    @Override
    public List<Integer> horizons() {
      return List.of(15);
    }

    @Override
    public Dataset<Row> predict(Dataset<Row> features) {
      return features.withColumn("blend_h15",
          col(FeatureTable.LOAD_NOW).plus(col(FeatureTable.lag(1425))).divide(2));
    }

    @Override
    public void save(SparkSession spark, String dir) {}
  }
}
