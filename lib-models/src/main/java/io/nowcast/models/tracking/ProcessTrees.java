package io.nowcast.models.tracking;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process with all its descendants. {@code mlflow server} is a Python process that starts
 * gunicorn, which forks workers; destroying only the first leaves gunicorn serving on the port.
 */
final class ProcessTrees {
  private ProcessTrees() {}

  /** The process and its current descendants. */
  static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    all.add(root);
    root.descendants().forEach(all::add);
    return all;
  }

  /**
   * Sends SIGTERM to every process (gunicorn then stops its workers cleanly), waits up to {@code grace},
   * then SIGKILLs what is left. {@code alsoKnown} are processes seen earlier: if the root already died,
   * its orphaned children are no longer its descendants.
   */
  static void destroy(ProcessHandle root, Set<ProcessHandle> alsoKnown, Duration grace) {
    Set<ProcessHandle> all = new LinkedHashSet<>(alsoKnown);
    if (root.isAlive()) {
      all.addAll(snapshot(root));
    }
    all.removeIf(handle -> !handle.isAlive());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : all) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      }
    }
  }
}
