package io.nowcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.serve.bench.TinyBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ApiMainTest {
  @TempDir Path dir;

  @Test
  void userErrorsExitWithTwoAndOneLineNoStackTrace() {
    assertUserError(new String[] {"--mlflow-uri", ""}, "--model-dir");
    assertUserError(new String[] {"--model-dir", dir.resolve("absent").toString()}, "nowcast-bundle.json");
    assertUserError(new String[] {"--model-dir", dir.toString(), "--max-rows", "0"}, "maxRows");
  }

  @Test
  void startsFromALocalBundleAndServesTheRegionConfigs() throws Exception {
    TinyBundle.write(dir, 4, false);
    ApiMain main = new ApiMain();
    new CommandLine(main).parseArgs("--model-dir", dir.toString(), "--port", "0",
        "--regions", Path.of(System.getProperty("nowcast.home", "..")).resolve("conf/regions/nyiso.yaml").toString());
    try (ApiMain.Running running = main.start()) {
      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.server().port() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode());
      assertTrue(ready.body().contains("\"version\":\"local\""), ready.body());
    }
  }

  private static void assertUserError(String[] args, String fragment) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ApiMain()).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(fragment), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }
}
