package io.nowcast.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** scripts/serve-mlflow refuses to guess a tracking server (its full run is in MlflowModelServerTest). */
class ServeMlflowScriptTest {

  @Test
  void withoutATrackingServerItSaysWhatToSetAndExitsTwo() throws Exception {
    Path home = Path.of(System.getProperty("nowcast.home", "..")).toAbsolutePath().normalize();
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("scripts/serve-mlflow").toString()).redirectErrorStream(true);
    builder.environment().remove("MLFLOW_TRACKING_URI");
    builder.environment().put("MLFLOW_UI_PORT", Integer.toString(closed));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue(), out);
    assertTrue(out.contains("set MLFLOW_TRACKING_URI"), out);
  }
}
