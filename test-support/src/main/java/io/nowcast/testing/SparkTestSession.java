package io.nowcast.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession the tests of a JVM share: {@code local[2]}, UI off, UTC session time zone,
 * few shuffle partitions so tiny DataFrames stay fast. Tests never stop it; the JVM's exit does.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /** Returns the shared session, creating it on first use. */
  public static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("nowcast-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/nowcast-warehouse")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
