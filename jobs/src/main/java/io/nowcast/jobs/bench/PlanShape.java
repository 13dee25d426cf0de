package io.nowcast.jobs.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SortExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec;
import org.apache.spark.sql.execution.window.WindowExec;
import scala.collection.JavaConverters;

/**
 * The operators of a physical plan that cost the most in the feature path: Window operators (and
 * the window functions they evaluate), sorts and shuffle exchanges. Counted on the plan Spark would
 * run (with adaptive execution, its initial plan), so a change that adds a sort or a shuffle shows
 * up in the benchmark's JSON.
 */
public record PlanShape(int windows, int windowFunctions, int sorts, int exchanges) {
  /** The shape of {@code frame}'s physical plan (plans only, no job runs). */
  public static PlanShape of(Dataset<Row> frame) {
    int[] counts = new int[4];
    visit(frame.queryExecution().executedPlan(), counts);
    return new PlanShape(counts[0], counts[1], counts[2], counts[3]);
  }

  private static void visit(SparkPlan node, int[] counts) {
    SparkPlan plan = node instanceof AdaptiveSparkPlanExec adaptive ? adaptive.initialPlan() : node;
    if (plan instanceof WindowExec window) {
      counts[0]++;
      counts[1] += window.windowExpression().size();
    } else if (plan instanceof SortExec) {
      counts[2]++;
    } else if (plan instanceof ShuffleExchangeExec) {
      counts[3]++;
    }
    for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      visit(child, counts);
    }
  }
}
