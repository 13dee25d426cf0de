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
 * The Python virtual environments of this project: where they are, and installing them when missing or
 * installed with other pins (CI starts from a clean clone; {@code .tools/} is not committed). One holds
 * the MLflow tracking server ({@link #ensure}); the serving venv ({@link #ensureServing}) holds MLflow
 * plus the xgboost our models pin, for {@code mlflow models serve} and Python cross-checks.
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

  /**
   * What the venv of MLflow's model server and of Python cross-checks holds: MLflow plus the xgboost
   * that MLflow models of this project pin ({@link MlflowXgboostFlavor#PYTHON_XGBOOST_VERSION}). A
   * separate venv, because xgboost 3.3 and newer need Python 3.12+, while the tracking server's venv
   * runs on the machine's default Python (3.11 here).
   */
  static final List<String> SERVING_REQUIREMENTS = List.of(
      "mlflow==" + MLFLOW_VERSION, "sqlalchemy<2.1", "xgboost==" + MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION);

  /** Oldest Python that {@link #SERVING_REQUIREMENTS} install on (xgboost 3.4.0 requires 3.12). */
  static final int[] SERVING_MIN_PYTHON = {3, 12};

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
   * The serving venv directory: system property {@code nowcast.mlflow.serve.venv}, else environment
   * variable {@code NOWCAST_MLFLOW_SERVE_VENV}, else {@code mlflow-serve-venv} next to
   * {@link #resolveDir()}.
   */
  public static Path resolveServingDir() {
    String property = System.getProperty("nowcast.mlflow.serve.venv");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    String env = System.getenv("NOWCAST_MLFLOW_SERVE_VENV");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    return resolveDir().resolveSibling("mlflow-serve-venv");
  }

  /**
   * Makes sure {@code venvDir} holds {@link #SERVING_REQUIREMENTS} (MLflow and the pinned xgboost) on a
   * Python 3.12 or newer, creating it when needed, and returns its Python. The base Python is
   * {@code NOWCAST_SERVE_PYTHON} if set, else {@code python3.12}/{@code python3.13} on the PATH or from
   * pyenv's versions, else {@code python3} when it is new enough.
   *
   * @throws TrackingUnavailableException when no suitable Python exists or pip fails
   */
  public static Path ensureServing(Path venvDir, Path installLog) {
    return ensure(venvDir, installLog, SERVING_REQUIREMENTS, MlflowVenv::servingPython);
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
    return ensure(venvDir, installLog, REQUIREMENTS, MlflowVenv::systemPython);
  }

  private static Path ensure(
      Path venvDir, Path installLog, List<String> requirements, java.util.function.Supplier<String> basePython) {
    Path venv = venvDir.toAbsolutePath();
    if (isReady(venv, requirements)) {
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
            if (!isReady(venv, requirements)) {
              install(venv, installLog.toAbsolutePath(), requirements, basePython);
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

  private static boolean isReady(Path venv, List<String> requirements) {
    try {
      return Files.isExecutable(venv.resolve("bin").resolve("mlflow"))
          && Files.isExecutable(python(venv))
          && Files.isRegularFile(venv.resolve(MARKER))
          && Files.readString(venv.resolve(MARKER)).strip().equals(String.join(" ", requirements));
    } catch (IOException e) {
      return false;
    }
  }

  private static void install(
      Path venv, Path log, List<String> requirements, java.util.function.Supplier<String> basePython)
      throws IOException {
    Files.createDirectories(log.getParent());
    LOG.info("installing {} into {} (output: {})", requirements, venv, log);
    if (!Files.isExecutable(python(venv))) {
      run(List.of(basePython.get(), "-m", "venv", venv.toString()), venv, log);
    }
    // Into an existing venv too: pip then only repairs what differs from the pins.
    List<String> pip = new ArrayList<>(
        List.of(python(venv).toString(), "-m", "pip", "install", "--disable-pip-version-check"));
    pip.addAll(requirements);
    run(pip, venv, log);
    Files.writeString(venv.resolve(MARKER), String.join(" ", requirements) + "\n");
  }

  /** Python used to create the venv: {@code NOWCAST_PYTHON} if set, else {@code python3} on the PATH. */
  private static String systemPython() {
    String python = System.getenv("NOWCAST_PYTHON");
    return python == null || python.isBlank() ? "python3" : python;
  }

  /**
   * A Python of at least {@link #SERVING_MIN_PYTHON} to create the serving venv with. Debian 12's
   * python3 is 3.11, so pyenv's versions are looked at too.
   */
  private static String servingPython() {
    String explicit = System.getenv("NOWCAST_SERVE_PYTHON");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    List<Path> candidates = new ArrayList<>();
    for (String name : List.of("python3.12", "python3.13")) {
      String path = System.getenv().getOrDefault("PATH", "");
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    String pyenvRoot = System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
    Path versions = Path.of(pyenvRoot, "versions");
    if (Files.isDirectory(versions)) {
      try (java.util.stream.Stream<Path> dirs = Files.list(versions)) {
        dirs.filter(d -> d.getFileName().toString().matches("3\\.(1[2-9]|[2-9]\\d)\\.\\d+"))
            .sorted()
            .map(d -> d.resolve("bin").resolve("python3"))
            .forEach(candidates::add);
      } catch (IOException e) {
        // no pyenv versions to offer
      }
    }
    candidates.add(Path.of("python3"));
    for (Path candidate : candidates) {
      if (isAtLeast(candidate.toString(), SERVING_MIN_PYTHON)) {
        return candidate.toString();
      }
    }
    throw new TrackingUnavailableException(
        "the MLflow model-serving venv needs Python " + SERVING_MIN_PYTHON[0] + "." + SERVING_MIN_PYTHON[1]
            + " or newer (xgboost " + MlflowXgboostFlavor.PYTHON_XGBOOST_VERSION + " requires it) and none"
            + " was found (tried python3.12, python3.13, pyenv versions, python3): set NOWCAST_SERVE_PYTHON");
  }

  private static boolean isAtLeast(String python, int[] minimum) {
    try {
      Process process = new ProcessBuilder(
              python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])")
          .redirectErrorStream(true)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return false;
      }
      String[] parts = out.split("\\s+");
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      return major > minimum[0] || (major == minimum[0] && minor >= minimum[1]);
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
