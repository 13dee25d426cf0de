package io.nowcast.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md section 3: MLflow is imported only in lib-models' {@code tracking} package; the registry
 * workflow reaches MLflow through tracking's REST clients. A source scan, because the rule is about
 * imports (a compiled-class scan would also see tracking's types, which are fine).
 */
class MlflowConfinementTest {

  @Test
  void onlyTheTrackingPackageImportsMlflow() throws IOException {
    Path main = Path.of("src/main/java");
    assertTrue(Files.isDirectory(main), "run from the lib-models module directory");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders = files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.startsWith(main.resolve("io/nowcast/models/tracking")))
          .filter(MlflowConfinementTest::importsMlflow)
          .map(Path::toString)
          .toList();
    }
    assertEquals(List.of(), offenders);
  }

  private static boolean importsMlflow(Path file) {
    try {
      return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("import org.mlflow."));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
