package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's own model server ({@code mlflow models serve --env-manager local}) on 127.0.0.1, for tests
 * and benchmarks that compare it with our Java API. It runs from the serving venv
 * ({@link MlflowVenv#ensureServing}), resolves {@code models:/...} URIs through the tracking server, and
 * answers {@code POST /invocations} and {@code GET /ping}. {@link #close()} stops the whole process tree
 * (gunicorn and its workers).
 *
 * <pre>{@code
 * try (MlflowModelServer server = MlflowModelServer.start(
 *     MlflowModelServer.options(trackingUri, "models:/power-nowcast-xgb@production", workDir))) {
 *   post(server.invocationsUrl(), "{\"dataframe_split\": ...}");
 * }
 * }</pre>
 */
public final class MlflowModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowModelServer.class);

  private final ChildProcess process;
  private final int port;
  private final Duration startupTime;

  /**
   * How to start the server.
   *
   * @param venvDir the serving venv (installed if missing)
   * @param port 0 for a free port
   * @param workers gunicorn workers ({@code -w})
   * @param workDir holds {@code model-server.log} (and the venv install log)
   */
  public record Options(
      String trackingUri, String modelUri, Path venvDir, int port, int workers, Duration startupTimeout,
      Path workDir) {

    /** With another number of workers. */
    public Options withWorkers(int count) {
      return new Options(trackingUri, modelUri, venvDir, port, count, startupTimeout, workDir);
    }

    /** With a fixed port. */
    public Options withPort(int fixedPort) {
      return new Options(trackingUri, modelUri, venvDir, fixedPort, workers, startupTimeout, workDir);
    }
  }

  /** Defaults: serving venv from {@link MlflowVenv#resolveServingDir()}, a free port, 1 worker, 120 s. */
  public static Options options(String trackingUri, String modelUri, Path workDir) {
    return new Options(trackingUri, modelUri, MlflowVenv.resolveServingDir(), 0, 1,
        Duration.ofSeconds(120), workDir);
  }

  private MlflowModelServer(Process process, int port, Set<ProcessHandle> tree, Duration startupTime) {
    this.process = new ChildProcess(process, tree, "mlflow-model-server-stop");
    this.port = port;
    this.startupTime = startupTime;
  }

  /**
   * Starts the server and waits until {@code GET /ping} answers 200 (MLflow has then loaded the model).
   *
   * @throws TrackingUnavailableException when the server exits or does not answer in time, with the
   *     last error line of its log (for example a missing model or alias)
   */
  public static MlflowModelServer start(Options options) {
    TrackingEndpoint endpoint = TrackingEndpoint.of(options.trackingUri());
    Path dir = options.workDir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Path python = MlflowVenv.ensureServing(options.venvDir(), dir.resolve("serve-venv-install.log"));
    Path log = dir.resolve("model-server.log");
    int port = options.port() > 0 ? options.port() : ChildProcess.freeLoopbackPort();
    List<String> command = List.of(
        python.toString(), "-m", "mlflow", "models", "serve",
        "-m", options.modelUri(),
        "-h", "127.0.0.1",
        "-p", Integer.toString(port),
        "-w", Integer.toString(options.workers()),
        "--env-manager", "local");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("MLFLOW_TRACKING_URI", endpoint.uri());
    // MLflow starts "exec gunicorn ..." through bash: the venv's bin must come first on the PATH.
    Path bin = python.getParent();
    builder.environment().put(
        "PATH", bin + java.io.File.pathSeparator + builder.environment().getOrDefault("PATH", ""));
    builder.environment().put("VIRTUAL_ENV", bin.getParent().toString());
    builder.environment().put("PYTHONUNBUFFERED", "1");
    long logStart = LogTail.size(log);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new TrackingUnavailableException(
          "cannot start '" + String.join(" ", command) + "': " + e.getMessage(), e);
    }
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    try {
      awaitPing(process, port, options.startupTimeout(), log, logStart, tree, options.modelUri());
    } catch (RuntimeException e) {
      ChildProcess.destroy(process, tree);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("MLflow model server for {} ready at http://127.0.0.1:{} in {} ms (log {})",
        options.modelUri(), port, took.toMillis(), log);
    return new MlflowModelServer(process, port, tree, took);
  }

  /** The loopback port the server listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:<port>/invocations}, where predictions are asked for. */
  public String invocationsUrl() {
    return baseUrl() + "/invocations";
  }

  /** From process start to the first successful {@code /ping}. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the server and all its processes. */
  @Override
  public void close() {
    process.close();
  }

  private static void awaitPing(Process process, int port, Duration timeout, Path log, long logStart,
      Set<ProcessHandle> tree, String modelUri) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new TrackingUnavailableException(
            "MLflow model server for " + modelUri + " exited with code " + process.exitValue()
                + " before answering: " + LogTail.lastError(log, logStart) + " (log: " + log + ")");
      }
      tree.addAll(ProcessTrees.snapshot(process.toHandle()));
      try {
        if (client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          tree.addAll(ProcessTrees.snapshot(process.toHandle()));
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrackingUnavailableException("interrupted while waiting for the MLflow model server", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrackingUnavailableException("interrupted while waiting for the MLflow model server", e);
      }
    }
    throw new TrackingUnavailableException(
        "MLflow model server for " + modelUri + " did not answer http://127.0.0.1:" + port + "/ping within "
            + timeout.toSeconds() + " s: " + LogTail.lastError(log, logStart) + " (log: " + log + ")");
  }
}
