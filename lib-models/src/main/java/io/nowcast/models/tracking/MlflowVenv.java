package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python virtual environment that holds the MLflow server: where it is, and installing it when it is
 * missing or was installed with other pins (CI starts from a clean clone; {@code .tools/} is not
 * committed).
 */
public final class MlflowVenv {
  /** The server version; must match the Java client (mlflow-client 2.17.2). */
  public static final String MLFLOW_VERSION = "2.17.2";

  /**
   * What gets installed. SQLAlchemy 2.1 removed {@code FallbackAsyncAdaptedQueuePool}, which MLflow
   * 2.17.2 imports, so an unpinned install starts a server that dies on its first database access
   * (fixed upstream only in later MLflow, mlflow/mlflow#20203).
   */
  static final List<String> REQUIREMENTS = List.of("mlflow==" + MLFLOW_VERSION, "sqlalchemy<2.1");

  private static final Logger LOG = LoggerFactory.getLogger(MlflowVenv.class);
  // Records the pins a venv was installed with, so a venv made with other pins is repaired, not trusted.
  private static final String MARKER = ".nowcast-requirements";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);

  private MlflowVenv() {}

  /**
   * The venv directory: system property {@code nowcast.mlflow.venv}, else environment variable
   * {@code NOWCAST_MLFLOW_VENV}, else {@code <nowcast.home property or working dir>/.tools/mlflow-venv}.
   */
  public static Path resolveDir() {
    String property = System.getProperty("nowcast.mlflow.venv");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    String env = System.getenv("NOWCAST_MLFLOW_VENV");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    String home = System.getProperty("nowcast.home");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
    return base.resolve(".tools").resolve("mlflow-venv").toAbsolutePath();
  }

  /**
   * Makes sure {@code venvDir} holds MLflow {@value #MLFLOW_VERSION} with our pins, creating it with
   * {@code python3 -m venv} and pip when needed (minutes, needs the package index), and returns its
   * Python. Installer output goes to {@code installLog}. Safe against other JVMs installing at the same
   * time (file lock next to the venv).
   *
   * @throws TrackingUnavailableException when Python or pip fails, with a one-line reason
   */
  public static Path ensure(Path venvDir, Path installLog) {
    Path venv = venvDir.toAbsolutePath();
    if (isReady(venv)) {
      return python(venv);
    }
    synchronized (MlflowVenv.class) {
      try {
        Files.createDirectories(venv.getParent());
        Path lockFile = venv.resolveSibling(venv.getFileName() + ".lock");
        try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          FileLock lock = channel.lock();
          try {
            // Another JVM may have installed it while we waited for the lock.
            if (!isReady(venv)) {
              install(venv, installLog.toAbsolutePath());
            }
          } finally {
            lock.release();
          }
        }
      } catch (IOException e) {
        throw new TrackingUnavailableException("cannot prepare the MLflow venv at " + venv + ": " + e, e);
      }
    }
    return python(venv);
  }

  private static boolean isReady(Path venv) {
    try {
      return Files.isExecutable(venv.resolve("bin").resolve("mlflow"))
          && Files.isExecutable(python(venv))
          && Files.isRegularFile(venv.resolve(MARKER))
          && Files.readString(venv.resolve(MARKER)).strip().equals(String.join(" ", REQUIREMENTS));
    } catch (IOException e) {
      return false;
    }
  }

  private static void install(Path venv, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    LOG.info("installing MLflow {} into {} (output: {})", MLFLOW_VERSION, venv, log);
    if (!Files.isExecutable(python(venv))) {
      run(List.of(systemPython(), "-m", "venv", venv.toString()), venv, log);
    }
    // Into an existing venv too: pip then only repairs what differs from the pins.
    List<String> pip = new ArrayList<>(
        List.of(python(venv).toString(), "-m", "pip", "install", "--disable-pip-version-check"));
    pip.addAll(REQUIREMENTS);
    run(pip, venv, log);
    Files.writeString(venv.resolve(MARKER), String.join(" ", REQUIREMENTS) + "\n");
  }

  /** Python used to create the venv: {@code NOWCAST_PYTHON} if set, else {@code python3} on the PATH. */
  private static String systemPython() {
    String python = System.getenv("NOWCAST_PYTHON");
    return python == null || python.isBlank() ? "python3" : python;
  }

  static Path python(Path venv) {
    return venv.resolve("bin").resolve("python");
  }

  private static void run(List<String> command, Path venv, Path log) throws IOException {
    String shown = String.join(" ", command);
    long logStart = LogTail.size(log);
    Files.writeString(log, "$ " + shown + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new TrackingUnavailableException(
          "cannot install MLflow into " + venv + ": '" + command.get(0) + "' could not be run ("
              + e.getMessage() + "); install Python 3 with venv, or set NOWCAST_PYTHON", e);
    }
    boolean done;
    try {
      done = process.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TrackingUnavailableException("interrupted while installing MLflow into " + venv, e);
    }
    if (!done) {
      process.destroyForcibly();
      throw new TrackingUnavailableException(
          "'" + shown + "' did not finish within " + INSTALL_TIMEOUT.toMinutes() + " min (output: " + log + ")");
    }
    if (process.exitValue() != 0) {
      throw new TrackingUnavailableException(
          "cannot install MLflow into " + venv + ": '" + shown + "' exited with " + process.exitValue()
              + ": " + LogTail.lastError(log, logStart) + " (output: " + log + ")");
    }
  }
}
