package io.nowcast.models.lstm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL engine and device. PyTorch's CPU library comes from the {@code pytorch-native-cpu} jar on
 * the classpath and is unpacked under {@code DJL_CACHE_DIR} on first use (set it under the work
 * directory: it is ~450 MB). Offline mode is switched on unless the JVM says otherwise, so a missing
 * native jar fails at once instead of downloading at run time. On a GPU host the CUDA libtorch comes
 * from the machine ({@code PYTORCH_LIBRARY_PATH}); the registry has no CUDA native jar (DESIGN §7).
 */
final class DjlRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
  static final String ENGINE = "PyTorch";

  private static Device device;

  private DjlRuntime() {}

  /**
   * The PyTorch engine, loading its native library on first use. Unless the JVM sets them, PyTorch
   * gets one intra-op and one inter-op thread: Spark runs one task per core, and a native library
   * spawning a thread per core in every task oversubscribes the executor (Spark sets
   * OMP_NUM_THREADS for its Python workers for the same reason). Raise
   * {@code -Dai.djl.pytorch.num_threads} for training on a big driver.
   */
  static synchronized Engine engine() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    for (String threads : new String[] {"ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads"}) {
      if (System.getProperty(threads) == null) {
        System.setProperty(threads, "1");
      }
    }
    return Engine.getEngine(ENGINE);
  }

  /** The first GPU when DJL sees one, else the CPU (saying so in one log line per JVM). */
  static synchronized Device device() {
    if (device == null) {
      Engine engine = engine();
      int gpus = engine.getGpuCount();
      if (gpus > 0) {
        device = Device.gpu();
        LOG.info("LSTM on GPU {} ({} visible to DJL)", device, gpus);
      } else {
        device = Device.cpu();
        LOG.info("LSTM on CPU: DJL's {} engine {} sees no GPU", ENGINE, engine.getVersion());
      }
    }
    return device;
  }
}
