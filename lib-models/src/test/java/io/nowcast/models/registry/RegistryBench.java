package io.nowcast.models.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nowcast.models.tracking.LocalMlflowServer;
import io.nowcast.models.tracking.MlflowModelServer;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.RunTracker;
import io.nowcast.models.tracking.RunTrackers;
import io.nowcast.models.tracking.TinyBoosters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * Benchmark command (not a test): times the registry round trips and MLflow's model server start on
 * this machine and prints JSON. Run with the test classpath:
 * {@code java -cp lib-models/target/test-classes:lib-models/target/classes:$(cat cp.txt)
 * io.nowcast.models.registry.RegistryBench [work dir]}.
 */
public final class RegistryBench {
  private RegistryBench() {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("registry-bench-");
    Map<String, Object> out = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try (LocalMlflowServer tracking =
        LocalMlflowServer.start(LocalMlflowServer.defaultVenvDir(), work.resolve("mlflow"))) {
      out.put("tracking_server_start_s", seconds(t0));
      String uri = tracking.trackingUri();
      String model = RegistryNames.XGB_MODEL;
      Booster booster = TinyBoosters.quantile(1, 50);
      List<Double> register = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        try (RunTracker run = RunTrackers.open(uri, "registry-bench", "train", Map.of())) {
          long t = System.nanoTime();
          ModelRegistrar.registerXgb(uri, run, booster, TinyBoosters.quantileBundle(),
              Map.of("mae_h15", 40.0 - i, "mae_h60", 60.0 - i), "fp", "folds");
          register.add(seconds(t));
          run.finish(true);
        }
      }
      out.put("register_version_s", register);
      ModelRegistryClient registry = new ModelRegistryClient(uri);
      List<Double> lookups = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        long t = System.nanoTime();
        registry.getByAlias(model, RegistryNames.STAGING);
        lookups.add(seconds(t) * 1000);
      }
      out.put("get_by_alias_ms_p50", percentile(lookups, 0.5));
      out.put("get_by_alias_ms_p99", percentile(lookups, 0.99));
      Promoter promoter = new Promoter(uri, "registry-bench");
      long t = System.nanoTime();
      promoter.promote(new Promoter.Request(model, 1, null, 0.0, false));
      out.put("promote_first_s", seconds(t));
      t = System.nanoTime();
      Promoter.Result gate = promoter.promote(new Promoter.Request(model, null, null, 0.0, false));
      out.put("promote_with_comparison_s", seconds(t));
      out.put("promote_with_comparison_verdict", gate.decision().verdict().label());

      t = System.nanoTime();
      try (MlflowModelServer server = MlflowModelServer.start(
          MlflowModelServer.options(uri, "models:/" + model + "@production", work.resolve("serve")))) {
        out.put("model_server_start_s", seconds(t));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int rows : new int[] {1, 100}) {
          String body = "{\"dataframe_split\": " + TinyBoosters.dataframeSplit(TinyBoosters.rows(3, rows)) + "}";
          List<Double> latencies = new ArrayList<>();
          for (int i = 0; i < 60; i++) {
            long s = System.nanoTime();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.invocationsUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
              throw new IllegalStateException(response.body());
            }
            if (i >= 10) {
              latencies.add(seconds(s) * 1000);
            }
          }
          out.put("invocations_" + rows + "_rows_ms_p50_sequential", percentile(latencies, 0.5));
        }
      }
    }
    out.put("box", "2 cores shared with other builds; load average " + Arrays.toString(loadAverage()));
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
  }

  private static double seconds(long start) {
    return Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    double v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    return Math.round(v * 100) / 100.0;
  }

  private static String[] loadAverage() {
    try {
      return Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3);
    } catch (java.io.IOException e) {
      return new String[] {"?"};
    }
  }
}
