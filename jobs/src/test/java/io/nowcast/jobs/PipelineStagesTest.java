package io.nowcast.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.eval.HorizonMetrics;
import io.nowcast.models.eval.MetricsTable;
import io.nowcast.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stages one after another on a small synthetic set, without tracking. */
class PipelineStagesTest {
  @TempDir Path dir;

  @Test
  void stagesRunInOrderAndXgboostBeatsPersistence() {
    SparkSession spark = SparkTestSession.get();
    NowcastConfig config = ConfigLoader.load("test", dir, null, Map.of(),
        Map.of("data_root", dir.resolve("data").toString(), "synthetic.regions", 2,
            "synthetic.days", 35, "evaluate.test_days", 5, "xgboost.num_round", 150));
    SynthJob.Result synth = SynthJob.run(spark, config);
    assertEquals(2L * 35 * 288, synth.loadRows());
    FeaturesJob.Result features = FeaturesJob.run(spark, config);
    assertTrue(features.withWeather());
    TrainJob.Result train = TrainJob.run(spark, config);
    EvaluateJob.Result result = EvaluateJob.run(spark, config);
    System.out.println(MetricsTable.render(result.metrics()));
    System.out.printf("train %.1f s, evaluate %.1f s%n", train.seconds(), result.seconds());
    HorizonMetrics xgb60 = result.metrics().stream()
        .filter(m -> m.model().equals(EvaluateJob.XGBOOST) && m.horizon() == 60).findFirst().orElseThrow();
    assertTrue(xgb60.skill() > 0.2, "XGBoost skill over persistence at 60 min: " + xgb60.skill());
  }
}
