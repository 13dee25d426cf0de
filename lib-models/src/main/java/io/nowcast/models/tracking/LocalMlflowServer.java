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
 * A real MLflow tracking server on 127.0.0.1 for local runs and tests: SQLite backend and artifact proxy,
 * both under a work directory. {@link #close()} stops the whole process tree; a JVM shutdown hook does
 * the same if the owner forgets, so no gunicorn outlives the JVM (unless it is SIGKILLed).
 *
 * <pre>{@code
 * try (LocalMlflowServer server = LocalMlflowServer.start(LocalMlflowServer.defaultVenvDir(), dir)) {
 *   RunTrackers.open(server.trackingUri(), null, "demo", Map.of());
 * }
 * }</pre>
 */
public final class LocalMlflowServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMlflowServer.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final int PORT_ATTEMPTS = 3;

  private final ChildProcess process;
  private final String trackingUri;
  private final Path workDir;

  private LocalMlflowServer(Process process, String trackingUri, Path workDir, Set<ProcessHandle> knownTree) {
    this.process = new ChildProcess(process, knownTree, "mlflow-server-stop");
    this.trackingUri = trackingUri;
    this.workDir = workDir;
  }

  /** The venv directory to use by default; see {@link MlflowVenv#resolveDir()}. */
  public static Path defaultVenvDir() {
    return MlflowVenv.resolveDir();
  }

  /**
   * Installs MLflow into {@code venvDir} if needed, starts {@code mlflow server} on a free loopback port
   * with {@code workDir/mlflow.db} and {@code workDir/artifacts}, and waits until it answers
   * {@code GET /health}. Server output goes to {@code workDir/server.log}.
   *
   * @throws TrackingUnavailableException when installing or starting fails, naming the cause and the log
   */
  public static LocalMlflowServer start(Path venvDir, Path workDir) {
    Path dir = workDir.toAbsolutePath();
    Path log = dir.resolve("server.log");
    try {
      Files.createDirectories(dir.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the MLflow work directory " + dir, e);
    }
    Path python = MlflowVenv.ensure(venvDir, dir.resolve("venv-install.log"));
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      int port = ChildProcess.freeLoopbackPort();
      long logStart = LogTail.size(log);
      Process process = launch(python, port, dir, log);
      String uri = "http://127.0.0.1:" + port;
      Set<ProcessHandle> tree = new LinkedHashSet<>();
      try {
        awaitHealthy(process, uri, log, logStart, tree);
      } catch (PortTakenException e) {
        // Another process bound the port between our probe and gunicorn's bind: pick another one.
        ChildProcess.destroy(process, tree);
        if (attempt < PORT_ATTEMPTS) {
          continue;
        }
        throw new TrackingUnavailableException(
            "MLflow server found no free port after " + attempt + " tries (log: " + log + ")");
      } catch (RuntimeException e) {
        ChildProcess.destroy(process, tree);
        throw e;
      }
      LOG.info("MLflow server at {} ready in {} ms (pid {}, work dir {})",
          uri, (System.nanoTime() - started) / 1_000_000, process.pid(), dir);
      return new LocalMlflowServer(process, uri, dir, tree);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without trailing slash. */
  public String trackingUri() {
    return trackingUri;
  }

  /** Holds {@code mlflow.db}, {@code artifacts/} and {@code server.log}. */
  public Path workDir() {
    return workDir;
  }

  /** Stops the server and all its processes. */
  @Override
  public void close() {
    process.close();
  }

  private static Process launch(Path python, int port, Path dir, Path log) {
    // "python -m mlflow" rather than bin/mlflow: the script's shebang breaks when the venv is moved.
    List<String> command = List.of(
        python.toString(), "-m", "mlflow", "server",
        "--host", "127.0.0.1",
        "--port", Integer.toString(port),
        "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db"),
        "--artifacts-destination", dir.resolve("artifacts").toString(),
        "--workers", "1");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Flush Python's output line by line, so server.log is current when we read it after a failure.
    builder.environment().put("PYTHONUNBUFFERED", "1");
    try {
      return builder.start();
    } catch (IOException e) {
      throw new TrackingUnavailableException(
          "cannot start '" + String.join(" ", command) + "': " + e.getMessage(), e);
    }
  }

  /** Polls GET /health until 200; collects the process tree meanwhile (gunicorn appears after a while). */
  private static void awaitHealthy(
      Process process, String uri, Path log, long logStart, Set<ProcessHandle> tree) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(uri + "/health")).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        if (LogTail.contains(log, logStart, "Address already in use")
            || LogTail.contains(log, logStart, "Connection in use")) {
          throw new PortTakenException();
        }
        throw new TrackingUnavailableException(
            "MLflow server exited with code " + process.exitValue() + " before answering: "
                + LogTail.lastError(log, logStart) + " (log: " + log + ")");
      }
      tree.addAll(ProcessTrees.snapshot(process.toHandle()));
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          tree.addAll(ProcessTrees.snapshot(process.toHandle()));
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrackingUnavailableException("interrupted while waiting for the MLflow server", e);
      }
      sleep(Duration.ofMillis(200));
    }
    throw new TrackingUnavailableException(
        "MLflow server did not answer " + uri + "/health within " + STARTUP_TIMEOUT.toSeconds() + " s: "
            + LogTail.lastError(log, logStart) + " (log: " + log + ")");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingUnavailableException("interrupted while waiting for the MLflow server", e);
    }
  }

  /** The server could not bind its port; a retry on another port may work. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
