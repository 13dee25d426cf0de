package io.nowcast.models.xgb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import ml.dmlc.xgboost4j.scala.spark.XGBoostPlugin;

/**
 * Whether XGBoost can train on a GPU here, and if not, why. The real probe looks for an NVIDIA device
 * and for XGBoost's GPU plugin (the {@code xgboost4j-spark-gpu} jar of the Maven {@code gpu} profile).
 */
@FunctionalInterface
public interface GpuProbe {
  /** Empty when a GPU is usable, else a short reason. */
  Optional<String> missing();

  /** The probe of this machine. */
  static GpuProbe system() {
    return () -> {
      boolean device = Files.exists(Path.of("/dev/nvidia0"))
          || Files.exists(Path.of("/proc/driver/nvidia/version"));
      if (!device) {
        return Optional.of("no NVIDIA device visible (/dev/nvidia0)");
      }
      boolean plugin = ServiceLoader.load(XGBoostPlugin.class).iterator().hasNext();
      if (!plugin) {
        return Optional.of("XGBoost's GPU plugin is not on the classpath (build with -Pgpu)");
      }
      return Optional.empty();
    };
  }
}
