package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests (of every module; lib-models publishes this in its test-jar) a real MLflow
 * tracking server.
 *
 * <p>With {@code MLFLOW_TRACKING_URI} set, that server is used. Otherwise one {@link LocalMlflowServer}
 * per JVM is started on first use, in a fresh directory under {@code target/} (kept after the run, so
 * {@code server.log} can be read when a test fails), and stopped when the JVM exits. A failed start is
 * remembered, so the other tests fail at once with the same message instead of waiting again.
 *
 * <pre>{@code
 * @ExtendWith(MlflowServerExtension.class)
 * class TrainJobIT {
 *   @Test void logsTheRun(@MlflowUri String trackingUri) { ... }
 * }
 * }</pre>
 * Code that cannot take parameters calls {@link #trackingUri()}.
 */
public final class MlflowServerExtension implements ParameterResolver {
  private static LocalMlflowServer server;
  private static RuntimeException startFailure;

  /**
   * The tracking URI for tests: {@code MLFLOW_TRACKING_URI} if set, else this JVM's local server
   * (started now if needed, which takes about 5 s, or minutes when the venv must be installed first).
   */
  public static synchronized String trackingUri() {
    String fromEnv = System.getenv("MLFLOW_TRACKING_URI");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    if (startFailure != null) {
      throw startFailure;
    }
    if (server == null) {
      try {
        // LocalMlflowServer registers its own shutdown hook, which stops it when the JVM exits.
        server = LocalMlflowServer.start(LocalMlflowServer.defaultVenvDir(), newWorkDir());
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return server.trackingUri();
  }

  private static Path newWorkDir() {
    Path target = Path.of("target");
    try {
      // One directory per JVM: parallel forks must not share the SQLite file.
      return Files.isDirectory(target)
          ? Files.createTempDirectory(target.toAbsolutePath(), "mlflow-server-")
          : Files.createTempDirectory("nowcast-mlflow-server-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory for the MLflow server", e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.isAnnotated(MlflowUri.class) && parameter.getParameter().getType() == String.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return trackingUri();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("no MLflow server for the test: " + e.getMessage(), e);
    }
  }
}
