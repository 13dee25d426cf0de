package io.nowcast.models.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Python scripts of {@code src/test/resources/mlflow} with the serving venv's Python. */
final class ServingPython {
  private ServingPython() {}

  /** The serving venv's Python, installing the venv on first use (minutes). */
  static Path python(Path work) {
    return MlflowVenv.ensureServing(MlflowVenv.resolveServingDir(), work.resolve("serve-venv-install.log"));
  }

  /** Runs {@code script} (a resource under mlflow/) with {@code args}; returns the JSON it wrote to its last arg. */
  static JsonNode runScript(Path work, String script, List<String> args, Path outJson)
      throws IOException, InterruptedException {
    Path scriptFile = work.resolve(script);
    try (InputStream in = ServingPython.class.getResourceAsStream("/mlflow/" + script)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /mlflow/" + script);
      }
      Files.copy(in, scriptFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(python(work).toString(), scriptFile.toString()));
    command.addAll(args);
    command.add(outJson.toString());
    Path log = work.resolve(script + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(script + " did not finish in 5 min (log " + log + ")");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(script + " failed with " + process.exitValue() + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    try {
      return MlflowHttp.JSON.readTree(outJson.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
