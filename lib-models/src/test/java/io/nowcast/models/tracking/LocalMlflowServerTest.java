package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and installing the local server. */
class LocalMlflowServerTest {
  @TempDir Path tmp;

  @Test
  void startsAnswersAndStopsItsWholeProcessTree() throws IOException {
    Set<ProcessHandle> tree;
    int port;
    try (LocalMlflowServer server =
        LocalMlflowServer.start(LocalMlflowServer.defaultVenvDir(), tmp.resolve("srv"))) {
      port = URI.create(server.trackingUri()).getPort();
      assertTrue(server.trackingUri().startsWith("http://127.0.0.1:"), server.trackingUri());
      // A run goes through, with its artifacts under the work directory.
      try (RunTracker run = RunTrackers.open(server.trackingUri(), "local-server-test", "r", Map.of())) {
        run.logArtifact(Files.writeString(tmp.resolve("a.txt"), "a"), "d");
        run.finish(true);
      }
      assertTrue(Files.isRegularFile(server.workDir().resolve("mlflow.db")));
      try (var files = Files.walk(server.workDir().resolve("artifacts"))) {
        assertTrue(files.anyMatch(p -> p.endsWith(Path.of("d", "a.txt"))));
      }
      tree = ProcessTrees.snapshot(ProcessHandle.current()).stream()
          .filter(p -> p.info().commandLine().orElse("").contains(server.workDir().toString())
              || p.info().commandLine().orElse("").contains("gunicorn -b 127.0.0.1:" + port))
          .collect(java.util.stream.Collectors.toSet());
      // mlflow CLI, gunicorn master and its worker.
      assertTrue(tree.size() >= 3, "expected the mlflow and gunicorn processes, got " + describe(tree));
    }
    for (ProcessHandle process : tree) {
      assertFalse(process.isAlive(), "still running after close: " + describe(List.of(process)));
    }
    assertFalse(listening(port), "port " + port + " still open after close");
  }

  @Test
  void failingPipGivesAOneLineMessage() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    // A "venv" whose python fails like pip does when the index has no such version.
    Path venv = tmp.resolve("venv");
    Path python = Files.createDirectories(venv.resolve("bin")).resolve("python");
    Files.writeString(python, "#!/bin/sh\necho 'Collecting mlflow==2.17.2'\n"
        + "echo 'ERROR: No matching distribution found for mlflow==2.17.2' >&2\nexit 1\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    TrackingUnavailableException e = assertThrows(
        TrackingUnavailableException.class, () -> LocalMlflowServer.start(venv, tmp.resolve("work")));
    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith("cannot install MLflow into " + venv.toAbsolutePath()), message);
    assertTrue(
        message.contains("exited with 1: ERROR: No matching distribution found for mlflow==2.17.2"), message);
    Path installLog = tmp.resolve("work").resolve("venv-install.log").toAbsolutePath();
    assertTrue(message.contains(installLog.toString()), message);
  }

  @Test
  void venvDirComesFromPropertyThenEnvironmentThenHome() {
    String oldVenv = System.getProperty("nowcast.mlflow.venv");
    String oldHome = System.getProperty("nowcast.home");
    try {
      System.setProperty("nowcast.mlflow.venv", tmp.resolve("v").toString());
      assertEquals(tmp.resolve("v").toAbsolutePath(), LocalMlflowServer.defaultVenvDir());
      System.clearProperty("nowcast.mlflow.venv");
      String env = System.getenv("NOWCAST_MLFLOW_VENV");
      if (env != null && !env.isBlank()) {
        assertEquals(Path.of(env).toAbsolutePath(), LocalMlflowServer.defaultVenvDir());
      } else {
        System.setProperty("nowcast.home", tmp.toString());
        assertEquals(tmp.resolve(".tools/mlflow-venv").toAbsolutePath(), LocalMlflowServer.defaultVenvDir());
      }
    } finally {
      restore("nowcast.mlflow.venv", oldVenv);
      restore("nowcast.home", oldHome);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String describe(java.util.Collection<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList()
        .toString();
  }
}
