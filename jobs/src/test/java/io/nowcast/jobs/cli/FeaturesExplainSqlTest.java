package io.nowcast.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.spec.FeatureSpecFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code nowcast features --explain-sql} prints the configured spec's SQL and exits 0 without a job. */
class FeaturesExplainSqlTest {
  @Test
  void printsTheSqlOfTheConfiguredSpec() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = NowcastCli.execute("features", "--explain-sql");
    } finally {
      System.setOut(original);
    }
    String sql = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, sql);
    assertTrue(sql.contains("SELECT"), sql);
    assertTrue(sql.contains("CREATE OR REPLACE TEMP VIEW raw_load_grid"), sql);
    assertTrue(sql.contains("FROM " + FeaturesCommand.RAW_LOAD_VIEW), sql);
    // Every lag of the shipped spec file (conf/features.yaml) is a column of the SELECT.
    Path spec = CommonOptions.home().resolve(FeatureSpecFile.PATH_DEFAULT);
    for (int lag : FeatureSpecFile.read(spec).lagMinutes()) {
      assertTrue(sql.contains(" AS " + FeatureTable.lag(lag)), FeatureTable.lag(lag) + " missing: " + sql);
    }
    assertTrue(sql.contains(" AS " + FeatureTable.target(60)), sql);
  }

  @Test
  void aSpecOverrideOnTheCommandLineChangesTheSql() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(0, NowcastCli.execute("features", "--explain-sql", "--set", "features.lags_minutes=5,35"));
    } finally {
      System.setOut(original);
    }
    String sql = out.toString(StandardCharsets.UTF_8);
    assertTrue(sql.contains(" AS " + FeatureTable.lag(35)), sql);
    assertTrue(!sql.contains(" AS " + FeatureTable.lag(10)), "the file's lags are overridden: " + sql);
  }
}
