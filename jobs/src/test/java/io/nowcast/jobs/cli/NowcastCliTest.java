package io.nowcast.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** User mistakes end with exit code 2 and one clear line, never a stack trace (before any Spark starts). */
class NowcastCliTest {
  @Test
  void unknownConfigKeyIsAClearUsageError() {
    Captured out = run("run", "--set", "xgboost.num_rounds=5");
    assertEquals(NowcastCli.USAGE_ERROR, out.code);
    assertTrue(out.err.contains("unknown config key 'xgboost.num_rounds'"), out.err);
    assertFalse(out.err.contains("\tat "), "no stack trace: " + out.err);
  }

  @Test
  void aBacktestGapShorterThanTheLongestHorizonIsAUsageError() {
    Captured out = run("backtest", "--set", "backtest.gap_minutes=30");
    assertEquals(NowcastCli.USAGE_ERROR, out.code);
    assertTrue(out.err.contains("backtest.gap_minutes must be >= the longest horizon (60 min), got 30"), out.err);
    assertFalse(out.err.contains("\tat "), "no stack trace: " + out.err);
  }

  @Test
  void anUnknownBacktestModelIsAUsageError() {
    Captured out = run("backtest", "--set", "backtest.models=xgboost,prophet");
    assertEquals(NowcastCli.USAGE_ERROR, out.code);
    assertTrue(out.err.contains("unknown model type 'prophet'") && out.err.contains("persistence"), out.err);
  }

  @Test
  void badValueNamesTheKey() {
    Captured out = run("train", "--set", "xgboost.device=tpu");
    assertEquals(NowcastCli.USAGE_ERROR, out.code);
    assertTrue(out.err.contains("xgboost.device must be cpu or cuda, got 'tpu'"), out.err);
  }

  @Test
  void unknownSourceIsRejected() {
    Captured out = run("features", "--source", "ercot");
    assertEquals(NowcastCli.USAGE_ERROR, out.code);
    assertTrue(out.err.contains("source must be one of"), out.err);
  }

  @Test
  void ingestNeedsAKnownSourceAndItsArchives() {
    Captured missing = run("ingest");
    assertEquals(NowcastCli.USAGE_ERROR, missing.code);
    assertTrue(missing.err.contains("Missing required option: '--source=SOURCE'"), missing.err);
    Captured unknown = run("ingest", "--source", "ercot", "--archives", "/nowhere");
    assertEquals(NowcastCli.USAGE_ERROR, unknown.code);
    assertTrue(unknown.err.contains("--source must be one of [nyiso-archive, nyiso, caiso"), unknown.err);
    Captured noArchives = run("ingest", "--source", "nyiso-archive");
    assertEquals(NowcastCli.USAGE_ERROR, noArchives.code);
    assertTrue(noArchives.err.contains("--archives DIR is required"), noArchives.err);
    Captured badDate = run("ingest", "--source", "nyiso", "--from", "2019-13-01", "--to", "2019-12-31");
    assertEquals(NowcastCli.USAGE_ERROR, badDate.code);
    assertTrue(badDate.err.contains("--from must be YYYY-MM-DD or YYYY-MM, got '2019-13-01'"), badDate.err);
    Captured noIsolfArchives = run("ingest", "--source", "nyiso-isolf-archive");
    assertEquals(NowcastCli.USAGE_ERROR, noIsolfArchives.code);
    assertTrue(noIsolfArchives.err.contains("--archives DIR is required (e.g. ../shared/data/nyiso/isolf)"),
        noIsolfArchives.err);
    Captured noRange = run("ingest", "--source", "nyiso-pal-integrated", "--from", "2019-11-01");
    assertEquals(NowcastCli.USAGE_ERROR, noRange.code);
    assertTrue(noRange.err.contains("needs both --from and --to"), noRange.err);
    Captured noStations = run("ingest", "--source", "noaa", "--from", "2019-01", "--to", "2019-02");
    assertEquals(NowcastCli.USAGE_ERROR, noStations.code);
    assertTrue(noStations.err.contains("--regions FILE is required"), noStations.err);
  }

  @Test
  void helpListsEveryStage() {
    Captured out = run("--help");
    assertEquals(0, out.code);
    for (String command : new String[] {"synth", "ingest", "features", "train", "evaluate", "run"}) {
      assertTrue(out.out.contains(command), command + " missing from help: " + out.out);
    }
  }

  private record Captured(int code, String out, String err) {}

  private static Captured run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = NowcastCli.execute(args);
      return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
