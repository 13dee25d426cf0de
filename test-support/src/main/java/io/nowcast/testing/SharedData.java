package io.nowcast.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real public data in {@code ../shared/data} (overridable with the system property
 * {@code nowcast.shared.data} or the environment variable {@code NOWCAST_SHARED_DATA}); tests that need
 * it skip with a message naming what is missing.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared data folder, whether or not it exists. */
  public static Path root() {
    String fromProperty = System.getProperty("nowcast.shared.data");
    String fromEnv = System.getenv("NOWCAST_SHARED_DATA");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    if (fromProperty != null && !fromProperty.isBlank()) {
      return Path.of(fromProperty);
    }
    return Path.of("..", "..", "shared", "data");
  }

  /** Resolves {@code relative} under the shared data folder, skipping the test if it is absent. */
  public static Path require(String relative) {
    Path path = root().resolve(relative).normalize();
    Assumptions.assumeTrue(
        Files.exists(path), () -> "real data not found at " + path + " (set NOWCAST_SHARED_DATA)");
    return path;
  }
}
