package io.nowcast.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * Opens the job's SparkSession. The master, executors, GPU resources and other cluster settings come
 * from outside (spark-submit, or {@code conf/spark-local.conf} through scripts/nowcast), never from
 * code. The one setting fixed here is part of the data contract: session time zone UTC (DESIGN §4).
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession open(String appName) {
    SparkSession spark =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    return spark;
  }
}
