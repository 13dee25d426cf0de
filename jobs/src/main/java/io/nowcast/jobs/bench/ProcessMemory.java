package io.nowcast.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of this process: the resident set high-water mark from {@code /proc/self/status}
 * ({@code VmHWM}, what the OS actually had to give, off-heap and native buffers included) and the
 * JVM heap peak (sum of the heap pools' peak usage since the JVM started); and its CPU time.
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Peak resident set size in bytes, or -1 where {@code /proc} is not available (not Linux). */
  public static long peakRssBytes() {
    long kilobytes = statusKilobytes(Path.of("/proc/self/status"), "VmHWM:");
    return kilobytes < 0 ? -1 : kilobytes * 1024L;
  }

  /** The {@code key} line of a {@code /proc/.../status} file in kB; -1 when absent. */
  static long statusKilobytes(Path status, String key) {
    try {
      List<String> lines = Files.readAllLines(status);
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Sum of the peak usage of the heap memory pools, bytes. */
  public static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** CPU time of the whole process (all threads) so far, nanoseconds; -1 where not supported. */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** The maximum heap size (-Xmx), bytes. */
  public static long heapMaxBytes() {
    return Runtime.getRuntime().maxMemory();
  }
}
