package io.nowcast.models.xgb;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the configured XGBoost device. {@code cuda} is honoured only where a GPU and XGBoost's GPU
 * plugin are present; otherwise training falls back to {@code cpu} with one clear log line, so the same
 * configuration runs everywhere (DESIGN §7: the CPU/GPU switch is configuration only).
 */
public final class XgbDevice {
  private static final Logger LOG = LoggerFactory.getLogger(XgbDevice.class);

  private XgbDevice() {}

  /** The device to train on for {@code requested} ({@code cpu} or {@code cuda}). */
  public static String resolve(String requested, GpuProbe probe) {
    if (!"cuda".equals(requested)) {
      return "cpu";
    }
    Optional<String> missing = probe.missing();
    if (missing.isPresent()) {
      LOG.warn("xgboost.device=cuda requested but {}; training on the CPU instead", missing.get());
      return "cpu";
    }
    LOG.info("XGBoost trains on the GPU (device=cuda)");
    return "cuda";
  }
}
