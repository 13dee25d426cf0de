package io.nowcast.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6: no UDFs, no RDDs and no collect() in the feature path, so the same plan runs on the
 * RAPIDS Accelerator and over Spark Connect. Scans this module's main sources (comments included, so a
 * mention in prose must be reworded rather than excused).
 */
class FeaturePathScanTest {
  private static final List<String> FORBIDDEN =
      List.of("collect(", "collectAsList(", "collectAsMap(", ".rdd(", "javaRDD(", "toJavaRDD(", "udf(",
          "UserDefinedFunction", "mapPartitions(", "foreachPartition(", ".take(", ".count()");

  @Test
  void mainSourcesUseNoUdfRddOrCollect() throws IOException {
    Path main = Path.of("src", "main", "java");
    assertTrue(Files.isDirectory(main), main.toAbsolutePath().toString());
    List<String> offences = new ArrayList<>();
    int files;
    try (Stream<Path> paths = Files.walk(main)) {
      List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).toList();
      files = sources.size();
      for (Path source : sources) {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
          for (String word : FORBIDDEN) {
            if (lines.get(i).contains(word)) {
              offences.add(main.relativize(source) + ":" + (i + 1) + " uses " + word);
            }
          }
        }
      }
    }
    assertTrue(files > 10, "scanned " + files + " files");
    assertEquals(List.of(), offences);
  }
}
