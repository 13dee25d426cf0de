package io.nowcast.models.xgb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The GPU path, verified on a machine without a GPU: which device is chosen, and that the shipped
 * conf/spark-gpu.conf holds a consistent RAPIDS + GPU resource setup. A probe stands in for the GPU,
 * the one part no test here can produce on demand.
 */
class GpuWiringTest {
  @Test
  void cudaFallsBackToCpuWhenNoGpuIsVisible() {
    assertEquals("cpu", XgbDevice.resolve("cuda", () -> Optional.of("no NVIDIA device visible")));
    assertEquals("cpu", XgbDevice.resolve("cpu", Optional::empty));
    assertEquals("cuda", XgbDevice.resolve("cuda", Optional::empty));
  }

  @Test
  void thisMachineHasNoGpuSoTheRealProbeSaysWhy() {
    Optional<String> missing = GpuProbe.system().missing();
    if (Files.exists(Path.of("/dev/nvidia0"))) {
      return; // on a GPU host the probe may well find everything
    }
    assertTrue(missing.isPresent());
    assertTrue(missing.get().contains("/dev/nvidia0"), missing.get());
  }

  @Test
  void gpuSparkConfEnablesRapidsWithConsistentResources() throws IOException {
    Path conf = Path.of(System.getProperty("nowcast.home", "..")).resolve("conf/spark-gpu.conf");
    Map<String, String> settings = new HashMap<>();
    for (String line : Files.readAllLines(conf)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+", 2);
      settings.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    assertEquals("com.nvidia.spark.SQLPlugin", settings.get("spark.plugins"));
    assertEquals("true", settings.get("spark.rapids.sql.enabled"));
    double executorGpus = Double.parseDouble(settings.get("spark.executor.resource.gpu.amount"));
    double taskGpus = Double.parseDouble(settings.get("spark.task.resource.gpu.amount"));
    assertTrue(taskGpus > 0 && taskGpus <= executorGpus, "task GPU share must fit an executor's GPUs");
    assertTrue(settings.containsKey("spark.executor.resource.gpu.discoveryScript"));
    // XGBoost needs one whole GPU per worker: its barrier tasks must each get a GPU.
    assertEquals("UTC", settings.get("spark.sql.session.timeZone"));
  }
}
