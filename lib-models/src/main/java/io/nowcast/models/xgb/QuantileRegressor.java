package io.nowcast.models.xgb;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.spark.ColumnIndices;
import ml.dmlc.xgboost4j.scala.spark.RuntimeParams;
import ml.dmlc.xgboost4j.scala.spark.XGBoost$;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import ml.dmlc.xgboost4j.scala.spark.XGBoostTrainingSummary$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * Trains an {@link XGBoostRegressor} with parameters XGBoost4J-Spark 3.4.0 has no Spark {@code Param}
 * for, such as {@code quantile_alpha}: the estimator forwards only the parameters it declares and
 * silently drops the rest, so {@code reg:quantileerror} then fails natively with "Check failed:
 * !quantile_alpha.Get().empty()" (measured here). This runs the steps of the estimator's own {@code
 * train} (preprocess, the Watches RDD, the barrier training, createModel) with the extra parameters
 * added to the native parameter map. Subclassing the Scala estimator from Java is not possible (javac
 * cannot reconcile its generic trait signatures). CPU path only: the GPU plugin's data path is not
 * taken here.
 */
final class QuantileRegressor {
  private QuantileRegressor() {}

  /** Fits {@code regressor} (features/label/eval columns set) on {@code train} with {@code extra}. */
  static XGBoostRegressionModel fit(XGBoostRegressor regressor, Dataset<Row> train, Map<String, Object> extra) {
    regressor.validate(train);
    Tuple2<Dataset<?>, ColumnIndices> prepared = regressor.preprocess(train);
    RuntimeParams runtime = regressor.getRuntimeParameters(
        train.sparkSession().sparkContext().isLocal(), regressor.getRuntimeParameters$default$2());
    Map<String, Object> params =
        new LinkedHashMap<>(JavaConverters.mapAsJavaMapConverter(regressor.getXGBoostParams()).asJava());
    params.putAll(extra);
    Tuple2<Booster, scala.collection.immutable.Map<String, float[]>> trained = XGBoost$.MODULE$.train(
        regressor.toRdd(prepared._1(), prepared._2()), runtime, XgbTrainer.scalaMap(params));
    XGBoostRegressionModel model =
        regressor.createModel(trained._1(), XGBoostTrainingSummary$.MODULE$.apply(trained._2()));
    model.setFeaturesCol(regressor.getFeaturesCol());
    return model;
  }
}
