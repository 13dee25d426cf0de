package io.nowcast.models.xgb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.XGBoost;

/**
 * Drops the trees grown after the best iteration of early stopping. XGBoost4J-Spark 3.4.0 stops
 * {@code num_early_stopping_rounds} rounds after the best one and keeps every tree it grew (it only
 * records {@code best_iteration} as a booster attribute), and its {@code transform()} predicts with all
 * of them; the JVM booster has no {@code slice}. So the model is rewritten through XGBoost's own JSON
 * model format with the tree list cut at the best iteration, then loaded back.
 */
final class BoosterTrim {
  /** The booster attribute XGBoost writes when early stopping ran. */
  static final String BEST_ITERATION = "best_iteration";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BoosterTrim() {}

  /** {@code booster} cut after its best iteration, or itself when nothing is to be cut. */
  static Booster toBestIteration(Booster booster) {
    try {
      String best = booster.getAttr(BEST_ITERATION);
      if (best == null) {
        return booster;
      }
      int keepRounds = Integer.parseInt(best.trim()) + 1;
      if (keepRounds >= booster.getNumBoostedRound()) {
        return booster;
      }
      ObjectNode root = (ObjectNode) JSON.readTree(booster.toByteArray("json"));
      JsonNode model = root.path("learner").path("gradient_booster").path("model");
      if (!(model instanceof ObjectNode gbtree) || !gbtree.has("iteration_indptr")) {
        throw new IllegalStateException("unexpected XGBoost model JSON: no gbtree iteration_indptr");
      }
      ArrayNode indptr = (ArrayNode) gbtree.get("iteration_indptr");
      int keepTrees = indptr.get(keepRounds).asInt();
      ArrayNode trees = (ArrayNode) gbtree.get("trees");
      ArrayNode treeInfo = (ArrayNode) gbtree.get("tree_info");
      while (trees.size() > keepTrees) {
        trees.remove(trees.size() - 1);
        treeInfo.remove(treeInfo.size() - 1);
      }
      while (indptr.size() > keepRounds + 1) {
        indptr.remove(indptr.size() - 1);
      }
      ((ObjectNode) gbtree.get("gbtree_model_param")).put("num_trees", String.valueOf(keepTrees));
      return XGBoost.loadModel(new ByteArrayInputStream(JSON.writeValueAsBytes(root)));
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot trim the booster to its best iteration: " + e.getMessage(), e);
    }
  }
}
