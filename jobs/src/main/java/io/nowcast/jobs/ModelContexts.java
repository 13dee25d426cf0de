package io.nowcast.jobs;

import io.nowcast.ingest.store.TablePaths;
import io.nowcast.jobs.config.NowcastConfig;
import io.nowcast.models.ModelContext;
import io.nowcast.models.ModelInputs;
import io.nowcast.models.baseline.IsoForecastModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The {@link ModelContext} of a run: config values and the auxiliary tables the data root has. */
public final class ModelContexts {
  private ModelContexts() {}

  public static ModelContext of(SparkSession spark, NowcastConfig config) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    String iso = TablePaths.resolve(config.dataRoot(), IsoForecastModel.PATH);
    if (DataPaths.exists(spark, iso)) {
      tables.put(IsoForecastModel.NAME, spark.read().parquet(iso));
    }
    return new ModelContext(spark, new ModelInputs(config.features()), config.xgboost(), config.modelParams(),
        tables);
  }
}
