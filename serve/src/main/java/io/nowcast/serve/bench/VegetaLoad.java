package io.nowcast.serve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fixed-rate scenario run by <a href="https://github.com/tsenart/vegeta">Vegeta</a>, a maintained
 * open-loop HTTP load tool: it sends on schedule whatever the server's latency (it adds workers
 * instead of waiting), and as a Go binary it costs the shared 2 cores far less per request than a
 * JVM client does. Measured on this box against the same server: the JVM generator's own overhead
 * put ~1 ms on the median and several on the p99 (session 4, docs/performance.md).
 *
 * <p>The binary comes from {@code NOWCAST_VEGETA}, else {@code .tools/bin/vegeta}, else
 * {@code vegeta} on the PATH; when none exists it is built once with {@code go install} (Go
 * modules are served by the package registry here).
 */
final class VegetaLoad {
  static final String MODULE = "github.com/tsenart/vegeta/v12@v12.13.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final Path work;

  private VegetaLoad(Path binary, Path work) {
    this.binary = binary;
    this.work = work;
  }

  /** Finds or installs the binary; {@code work} holds targets, bodies and results. */
  static VegetaLoad locate(Path work) throws IOException, InterruptedException {
    String configured = System.getenv("NOWCAST_VEGETA");
    if (configured != null && !configured.isBlank()) {
      return new VegetaLoad(requireExecutable(Path.of(configured)), work);
    }
    String home = System.getProperty("nowcast.home", "");
    Path toolsBin = (home.isBlank() ? Path.of("") : Path.of(home)).resolve(".tools/bin").toAbsolutePath();
    Path local = toolsBin.resolve("vegeta");
    if (Files.isExecutable(local)) {
      return new VegetaLoad(local, work);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "vegeta");
      if (Files.isExecutable(candidate)) {
        return new VegetaLoad(candidate, work);
      }
    }
    install(toolsBin, work.resolve("vegeta-install.log"));
    return new VegetaLoad(requireExecutable(local), work);
  }

  private static void install(Path toolsBin, Path log) throws IOException, InterruptedException {
    Files.createDirectories(toolsBin);
    ProcessBuilder builder = new ProcessBuilder("go", "install", MODULE)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("GOBIN", toolsBin.toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("vegeta is not installed and `go` is not on the PATH to build"
          + " it: install Go, or set NOWCAST_VEGETA to a vegeta binary, or use --load-tool java", e);
    }
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("`go install " + MODULE + "` failed; see " + log);
    }
  }

  private static Path requireExecutable(Path path) {
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("no executable vegeta at " + path);
    }
    return path;
  }

  /** The binary in use, for the report. */
  Path binary() {
    return binary;
  }

  /**
   * POSTs {@code body} to {@code uri} at {@code rate} requests/s for {@code duration}; the same keys
   * as {@link LoadGenerator.Result#toJson}. Latency is Vegeta's: from the actual send, which on
   * schedule is the planned send (Vegeta does not wait for answers before sending the next one).
   */
  Map<String, Object> fixedRate(URI uri, String body, int rate, Duration duration)
      throws IOException, InterruptedException {
    Path bodyFile = work.resolve("vegeta-body.json");
    Files.writeString(bodyFile, body, StandardCharsets.UTF_8);
    Path targets = work.resolve("vegeta-targets.txt");
    Files.writeString(targets, "POST " + uri + "\nContent-Type: application/json\n@" + bodyFile + "\n");
    Path results = work.resolve("vegeta-results.bin");
    run(List.of(binary.toString(), "attack", "-targets=" + targets, "-rate=" + rate + "/1s",
        "-duration=" + duration.toMillis() + "ms", "-timeout=30s", "-output=" + results),
        duration.plusSeconds(60));
    Path report = work.resolve("vegeta-report.json");
    run(List.of(binary.toString(), "report", "-type=json", "-output=" + report, results.toString()),
        Duration.ofSeconds(60));
    return toResult(JSON.readTree(report.toFile()));
  }

  /** Vegeta's JSON report (latencies in nanoseconds) in the load generator's keys. */
  static Map<String, Object> toResult(JsonNode report) {
    long requests = report.path("requests").asLong();
    long ok = report.path("status_codes").path("200").asLong();
    JsonNode latencies = report.path("latencies");
    double seconds = report.path("duration").asDouble() / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", ok);
    out.put("errors", requests - ok);
    out.put("seconds", LoadGenerator.round(seconds));
    out.put("requests_per_s", LoadGenerator.round(report.path("rate").asDouble()));
    out.put("rows_per_s", LoadGenerator.round(report.path("throughput").asDouble()));
    out.put("p50_ms", millis(latencies, "50th"));
    out.put("p90_ms", millis(latencies, "90th"));
    out.put("p99_ms", millis(latencies, "99th"));
    out.put("max_ms", millis(latencies, "max"));
    out.put("load_tool", "vegeta");
    return out;
  }

  private static double millis(JsonNode latencies, String key) {
    return LoadGenerator.round(latencies.path(key).asDouble() / 1e6);
  }

  private void run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path log = work.resolve("vegeta.log");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("vegeta did not finish within " + timeout.toSeconds() + " s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("vegeta " + command.get(1) + " exited with "
          + process.exitValue() + "; see " + log);
    }
  }
}
