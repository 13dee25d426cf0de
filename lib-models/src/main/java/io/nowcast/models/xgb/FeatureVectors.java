package io.nowcast.models.xgb;

import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Assembles model inputs into the one vector column XGBoost reads. Nulls become NaN ("keep"), which
 * XGBoost treats as missing, so a gap in the data is a learnable state rather than a dropped row.
 */
public final class FeatureVectors {
  /** The assembled vector column. */
  public static final String COLUMN = "features_vec";

  private FeatureVectors() {}

  public static Dataset<Row> assemble(Dataset<Row> prepared, List<String> inputNames) {
    return new VectorAssembler()
        .setInputCols(inputNames.toArray(String[]::new))
        .setOutputCol(COLUMN)
        .setHandleInvalid("keep")
        .transform(prepared);
  }
}
