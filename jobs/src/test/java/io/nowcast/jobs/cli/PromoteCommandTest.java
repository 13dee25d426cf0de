package io.nowcast.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.models.registry.ModelRegistrar;
import io.nowcast.models.tracking.MlflowServerExtension;
import io.nowcast.models.tracking.MlflowUri;
import io.nowcast.models.tracking.MlflowXgboostFlavor;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.models.tracking.TinyBoosters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code nowcast promote} end to end against a real MLflow server: exit codes, output, errors. */
@ExtendWith(MlflowServerExtension.class)
class PromoteCommandTest {

  @Test
  void promotesThenRejectsWithExitCodesAndTheTable(@MlflowUri String uri, @TempDir Path tmp) {
    String model = "promote-cli-" + UUID.randomUUID();
    register(uri, model, 40, 60, tmp.resolve("a"));
    Captured first = run("promote", "--model", model, "--set", "mlflow.tracking_uri=" + uri);
    assertEquals(0, first.code, first.err);
    assertTrue(first.out.contains(model + " v1: promoted to production"), first.out);
    assertTrue(first.out.contains("decision logged to MLflow run "), first.out);

    register(uri, model, 39, 61, tmp.resolve("b"));
    Captured worse = run("promote", "--model", model, "--alias", "staging", "--set", "mlflow.tracking_uri=" + uri);
    assertEquals(PromoteCommand.NOT_PROMOTED, worse.code, worse.err);
    assertTrue(worse.out.contains("not promoted, gate rejected"), worse.out);
    assertTrue(worse.out.contains("mae_h60"), worse.out);
    assertEquals(1, new ModelRegistryClient(uri).getByAlias(model, "production").version());

    // The margin comes from the config key when --margin is absent: 1% is not enough for a 0.5% gain.
    register(uri, model, 39.8, 59.7, tmp.resolve("c"));
    Captured strict = run("promote", "--model", model, "--version", "3", "--set", "mlflow.tracking_uri=" + uri,
        "--set", "registry.promotion_margin=0.01");
    assertEquals(PromoteCommand.NOT_PROMOTED, strict.code, strict.err);
    assertTrue(strict.out.contains("at least 1.00%"), strict.out);
    Captured loose = run("promote", "--model", model, "--version", "3", "--margin", "0.001",
        "--set", "mlflow.tracking_uri=" + uri, "--set", "registry.promotion_margin=0.01");
    assertEquals(0, loose.code, loose.out + loose.err);

    Captured forced =
        run("promote", "--model", model, "--version", "2", "--force", "--set", "mlflow.tracking_uri=" + uri);
    assertEquals(0, forced.code, forced.err);
    assertTrue(forced.out.contains("FORCED"), forced.out);
    assertEquals(2, new ModelRegistryClient(uri).getByAlias(model, "production").version());
  }

  @Test
  void userMistakesExitTwoWithOneLine(@MlflowUri String uri) {
    String missing = "no-such-" + UUID.randomUUID();
    Captured noModel = run("promote", "--model", missing, "--set", "mlflow.tracking_uri=" + uri);
    assertEquals(NowcastCli.USAGE_ERROR, noModel.code);
    assertTrue(noModel.err.contains("registered model '" + missing + "' does not exist"), noModel.err);
    assertFalse(noModel.err.contains("\tat "), noModel.err);

    Captured margin = run("promote", "--margin", "5", "--set", "mlflow.tracking_uri=" + uri);
    assertEquals(NowcastCli.USAGE_ERROR, margin.code);
    assertTrue(margin.err.contains("promotion margin must be a relative MAE improvement in [0, 1)"), margin.err);

    Captured both = run("promote", "--version", "1", "--alias", "staging");
    assertEquals(NowcastCli.USAGE_ERROR, both.code);
    assertTrue(both.err.contains("mutually exclusive"), both.err);

    Captured down = run("promote", "--set", "mlflow.tracking_uri=http://127.0.0.1:9");
    assertEquals(NowcastCli.USAGE_ERROR, down.code);
    assertTrue(down.err.contains("MLflow server at http://127.0.0.1:9 is not reachable"), down.err);
  }

  private static void register(String uri, String model, double maeH15, double maeH60, Path dir) {
    try (RunTracker run = RunTrackers.open(uri, "promote-cli-test", "train", Map.of())) {
      MlflowXgboostFlavor.write(dir, TinyBoosters.quantile(3, 2), TinyBoosters.quantileBundle());
      ModelRegistrar.register(uri, model, run, dir, Map.of("mae_h15", maeH15, "mae_h60", maeH60), "fp", "folds-1");
      run.finish(true);
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
