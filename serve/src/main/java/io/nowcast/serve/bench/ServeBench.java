package io.nowcast.serve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.models.tracking.MlflowVenv;
import io.nowcast.models.tracking.NowcastBundle;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmark of our API against {@code mlflow models serve} for the same booster, both as separate
 * processes on loopback, driven by {@link LoadGenerator}; prints one JSON document. Scenarios per
 * server: a fixed rate of single-row requests (latency), back-to-back single-row and 100-row requests
 * (throughput). Equal work: one API row forecasts every horizon of the bundle, so the MLflow request
 * for it carries one booster row per horizon.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
    description = "Latency and throughput of the nowcast API vs mlflow models serve (JSON).")
public final class ServeBench implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--seconds", defaultValue = "15", description = "Seconds per measured scenario.")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "5", description = "Warm-up per server.")
  int warmupSeconds;

  @Option(names = "--rate", defaultValue = "500", description = "Requests/s of the fixed-rate scenario.")
  int rate;

  @Option(names = "--rate-warmup-seconds", defaultValue = "60",
      description = "Unrecorded seconds at the fixed rate before measuring it: the JIT keeps"
          + " recompiling the request path for about a minute at 500 req/s (perf, session 4).")
  int rateWarmupSeconds;

  @Option(names = "--rate-runs", defaultValue = "3",
      description = "Measured fixed-rate runs per server; each is reported, the target uses their median p99.")
  int rateRuns;

  /** Who drives the fixed-rate scenario. */
  enum LoadTool { vegeta, java }

  @Option(names = "--load-tool", defaultValue = "vegeta",
      description = "Fixed-rate load: vegeta (installed with `go install` on first use) or java"
          + " (the built-in generator, heavier on the shared cores). Default: ${DEFAULT-VALUE}.")
  LoadTool loadTool;

  @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients for throughput.")
  int clients;

  @Option(names = "--mlflow-workers", defaultValue = "2",
      description = "gunicorn workers of mlflow models serve (default: one per core).")
  int mlflowWorkers;

  @Option(names = "--skip-mlflow", description = "Measure only our API.")
  boolean skipMlflow;

  @Option(names = "--out", description = "Also write the JSON here.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServeBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rateRuns < 1 || seconds < 1 || rate < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--rate-runs, --seconds and --rate must be at least 1");
    }
    Path work = Files.createTempDirectory("serve-bench-");
    Path bundleDir = work.resolve("mlflow-model");
    NowcastBundle bundle = TinyBundle.write(bundleDir, 1, false);
    LoadGenerator load = new LoadGenerator();
    FixedRate fixedRate = fixedRateDriver(load, work);
    ObjectNode report = JSON.createObjectNode();
    report.put("started_at", Instant.now().toString());
    report.put("fixed_rate_load_tool", loadTool.name());
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("loadavg_at_start", loadAverage());
    report.put("note", "server and load generator on the same box; fixed rate: "
        + (loadTool == LoadTool.vegeta
            ? "Vegeta, open loop (it adds workers rather than wait), latency from each request's send"
            : "the JVM generator, latency from each request's planned send time")
        + "; fixed_rate_single_row is the median-p99 run of " + rateRuns + " after "
        + rateWarmupSeconds + " s at that rate");
    report.put("model", "tiny XGBoost4J quantile booster, " + bundle.features().size() + " inputs, "
        + bundle.horizons().size() + " horizons x " + bundle.quantiles().size() + " quantiles");

    Random random = new Random(3);
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(TinyBundle.randomFeatures(random));
    }
    List<Process> started = new ArrayList<>();
    try {
      int apiPort = freePort();
      started.add(startApi(bundleDir, apiPort, work));
      URI api = URI.create("http://127.0.0.1:" + apiPort + "/v1/nowcast");
      waitReady(URI.create("http://127.0.0.1:" + apiPort + "/ready"), Duration.ofSeconds(60), started);
      String apiOne = apiBody(rows.subList(0, 1));
      String apiHundred = apiBody(rows);
      report.set("api", measure(load, fixedRate, api, apiOne, apiHundred));

      if (!skipMlflow) {
        int mlflowPort = freePort();
        started.add(startMlflow(bundleDir, mlflowPort, work));
        URI mlflow = URI.create("http://127.0.0.1:" + mlflowPort + "/invocations");
        waitReady(URI.create("http://127.0.0.1:" + mlflowPort + "/ping"), Duration.ofSeconds(180), started);
        String mlOne = mlflowBody(bundle, rows.subList(0, 1));
        String mlHundred = mlflowBody(bundle, rows);
        report.put("agreement_max_abs_diff_p50_relative", agreement(load, api, mlflow, bundle, rows));
        report.set("mlflow", measure(load, fixedRate, mlflow, mlOne, mlHundred));
        report.put("mlflow_workers", mlflowWorkers);
        ObjectNode ratios = report.putObject("ratios_api_over_mlflow");
        for (String scenario : List.of("max_single_row", "max_100_rows")) {
          ratios.put(scenario + "_throughput", LoadGenerator.round(
              report.path("api").path(scenario).path("requests_per_s").asDouble()
                  / report.path("mlflow").path(scenario).path("requests_per_s").asDouble()));
        }
      }
      ObjectNode targets = report.putObject("targets");
      JsonNode atRate = report.path("api").path("fixed_rate_single_row");
      if (atRate.isObject()) {
        double p99 = atRate.path("p99_ms").asDouble();
        targets.put("api_p99_single_row_at_rate_ms", p99);
        targets.put("api_p99_le_5ms", p99 <= 5.0 && atRate.path("errors").asLong() == 0);
      } else {
        targets.put("api_p99_le_5ms", false);
      }
      if (!skipMlflow) {
        double ratio = report.path("ratios_api_over_mlflow").path("max_single_row_throughput").asDouble();
        targets.put("throughput_ratio_ge_3", ratio >= 3.0);
      }
    } finally {
      started.forEach(ServeBench::stop);
    }
    report.put("loadavg_at_end", loadAverage());
    String text = JSON.writeValueAsString(report);
    System.out.println(text);
    if (out != null) {
      Files.writeString(out, text + "\n");
    }
    return 0;
  }

  /** One fixed-rate run: the load generator's JSON keys. */
  @FunctionalInterface
  private interface FixedRate {
    Map<String, Object> run(URI uri, String body, int rate, Duration duration) throws Exception;
  }

  private FixedRate fixedRateDriver(LoadGenerator load, Path work) throws Exception {
    if (loadTool == LoadTool.java) {
      return (uri, body, rate, duration) -> load.fixedRate(uri, body, rate, duration).toJson(1);
    }
    VegetaLoad vegeta = VegetaLoad.locate(work);
    return vegeta::fixedRate;
  }

  private ObjectNode measure(LoadGenerator load, FixedRate fixedRate, URI uri, String one,
      String hundred) throws Exception {
    load.closedLoop(uri, one, clients, Duration.ofSeconds(warmupSeconds));
    load.closedLoop(uri, hundred, clients, Duration.ofSeconds(Math.max(1, warmupSeconds / 2)));
    ObjectNode node = JSON.createObjectNode();
    // Throughput first: the open-loop run may leave a backlog on a server that cannot keep up.
    node.set("max_single_row", JSON.valueToTree(
        load.closedLoop(uri, one, clients, Duration.ofSeconds(seconds)).toJson(1)));
    node.set("max_100_rows", JSON.valueToTree(
        load.closedLoop(uri, hundred, clients, Duration.ofSeconds(seconds)).toJson(100)));
    // Steady state at the fixed rate: first a warm-up at that rate (not recorded), so the measured
    // seconds do not include draining what the saturating runs above left behind (connections,
    // garbage, a grown thread pool).
    double sustainable = node.path("max_single_row").path("requests_per_s").asDouble();
    if (sustainable < rate) {
      // Open-loop load above what the server can answer at all only measures its timeouts (the
      // queue grows for the whole run); say so instead of reporting a meaningless latency.
      node.put("fixed_rate_single_row", "skipped: the server's maximum single-row throughput ("
          + LoadGenerator.round(sustainable) + " req/s) is below the fixed rate (" + rate + " req/s)");
      return node;
    }
    fixedRate.run(uri, one, rate, Duration.ofSeconds(rateWarmupSeconds));
    ArrayNode runs = node.putArray("fixed_rate_single_row_runs");
    List<Double> p99s = new ArrayList<>();
    for (int run = 0; run < rateRuns; run++) {
      Map<String, Object> result =
          withRate(fixedRate.run(uri, one, rate, Duration.ofSeconds(seconds)), rate);
      runs.add(JSON.valueToTree(result));
      p99s.add(((Number) result.get("p99_ms")).doubleValue());
    }
    // The run with the median p99 stands for the scenario; every run is in the list above.
    int median = p99s.indexOf(p99s.stream().sorted().toList().get((p99s.size() - 1) / 2));
    node.set("fixed_rate_single_row", runs.get(median));
    return node;
  }

  private static Map<String, Object> withRate(Map<String, Object> result, int rate) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("target_requests_per_s", rate);
    out.putAll(result);
    return out;
  }

  /** Largest |API P50 relative change − MLflow's middle output| over the rows and horizons. */
  private static double agreement(LoadGenerator load, URI api, URI mlflow, NowcastBundle bundle,
      List<Map<String, Double>> rows) throws Exception {
    JsonNode ours = JSON.readTree(load.send(api, apiBody(rows))).path("predictions");
    JsonNode theirs = JSON.readTree(load.send(mlflow, mlflowBody(bundle, rows))).path("predictions");
    double worst = 0;
    int horizons = bundle.horizons().size();
    for (int r = 0; r < rows.size(); r++) {
      for (int k = 0; k < horizons; k++) {
        double apiP50 = ours.get(r).path("horizons").get(k).path("p50").asDouble() / 1000.0 - 1.0;
        JsonNode outputs = theirs.get(r * horizons + k);
        List<Double> values = new ArrayList<>();
        outputs.forEach(v -> values.add(v.asDouble()));
        values.sort(Double::compare);
        worst = Math.max(worst, Math.abs(apiP50 - values.get(values.size() / 2)));
      }
    }
    return worst;
  }

  private static String apiBody(List<Map<String, Double>> rows) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("rows");
    for (Map<String, Double> features : rows) {
      ObjectNode row = array.addObject().put("region", "SYN-1").put("load_now_mw", 1000.0);
      row.set("features", JSON.valueToTree(features));
    }
    return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }

  /** MLflow's dataframe_split: one booster row per request row and horizon, in bundle order. */
  private static String mlflowBody(NowcastBundle bundle, List<Map<String, Double>> rows)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode split = root.putObject("dataframe_split");
    bundle.features().forEach(split.putArray("columns")::add);
    ArrayNode data = split.putArray("data");
    for (Map<String, Double> features : rows) {
      for (int horizon : bundle.horizons()) {
        ArrayNode row = data.addArray();
        for (String name : bundle.features()) {
          row.add(name.equals(NowcastBundle.HORIZON_FEATURE) ? horizon : features.get(name));
        }
      }
    }
    return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }

  private static Process startApi(Path bundleDir, int port, Path work) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    // The same extra JVM flags scripts/api passes (NOWCAST_API_JAVA_OPTS), so the bench measures
    // the server as it is run.
    String extra = System.getenv().getOrDefault("NOWCAST_API_JAVA_OPTS", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "io.nowcast.serve.ApiMain", "--model-dir", bundleDir.toString(), "--port",
        Integer.toString(port), "--synthetic-regions", "1"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("api.log").toFile())
        .start();
  }

  private Process startMlflow(Path bundleDir, int port, Path work) throws IOException {
    // The serving venv (Python >= 3.12, xgboost pinned to the JVM's 3.4.0), the same one
    // scripts/serve-mlflow uses; installed on first use.
    Path venv = MlflowVenv.resolveServingDir();
    MlflowVenv.ensureServing(venv, work.resolve("serve-venv-install.log"));
    Path mlflow = venv.resolve("bin").resolve("mlflow");
    try {
      Process check = new ProcessBuilder(venv.resolve("bin").resolve("python").toString(), "-c",
          "import xgboost, sys; v = tuple(int(p) for p in xgboost.__version__.split('.')[:2]);"
              + " sys.exit(0 if v >= (3, 0) else 1)").redirectErrorStream(true).start();
      if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
        throw new IllegalStateException("python xgboost >= 3.0 is missing from " + venv
            + ": run " + venv.resolve("bin/pip") + " install 'xgboost>=3.0'");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    ProcessBuilder builder = new ProcessBuilder(mlflow.toString(), "models", "serve", "-m",
        bundleDir.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "--env-manager", "local",
        "-w", Integer.toString(mlflowWorkers))
        .directory(work.toFile()) // it creates ./mlruns where it starts
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("mlflow.log").toFile());
    builder.environment().put("PATH", venv.resolve("bin") + ":" + System.getenv("PATH"));
    return builder.start();
  }

  private static void waitReady(URI uri, Duration timeout, List<Process> started) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process process : started) {
        if (!process.isAlive()) {
          throw new IllegalStateException("a server exited with " + process.exitValue()
              + " before " + uri + " was ready (see its log in the bench's temp directory)");
        }
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(uri + " not ready within " + timeout.toSeconds() + " s");
  }

  /** Stops a server we started and its children (gunicorn workers), by their process ids. */
  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
