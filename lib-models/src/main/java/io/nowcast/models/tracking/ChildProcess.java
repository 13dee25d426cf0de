package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;

/**
 * A server process this JVM started (an {@code mlflow server} or {@code mlflow models serve}) together
 * with every process it spawned, stopped as one. {@link #close()} stops the whole tree; a JVM shutdown
 * hook does the same if the owner forgets, so no gunicorn outlives the JVM (unless it is SIGKILLed).
 * Shared by {@link LocalMlflowServer} and {@link MlflowModelServer}, which differ only in what they
 * start and how they know it is ready.
 */
final class ChildProcess implements AutoCloseable {
  /** How long the processes get to exit after SIGTERM before they are SIGKILLed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Process process;
  private final Set<ProcessHandle> knownTree;
  private final Thread shutdownHook;

  /**
   * Takes charge of a started process and registers the shutdown hook.
   *
   * @param knownTree the processes seen in its tree so far (its orphaned children are no longer its
   *     descendants once it died, so they are remembered)
   * @param hookName the name of the shutdown hook's thread, shown in thread dumps
   */
  ChildProcess(Process process, Set<ProcessHandle> knownTree, String hookName) {
    this.process = process;
    this.knownTree = knownTree;
    this.shutdownHook = new Thread(this::stop, hookName);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * A loopback port free right now, for the server about to be started. Another process may take it
   * before the server binds it; {@link LocalMlflowServer} retries on another port when that happens.
   */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }

  /**
   * Stops a process that never got a {@link ChildProcess} (its start failed) and what it spawned.
   *
   * @see ProcessTrees#destroy
   */
  static void destroy(Process process, Set<ProcessHandle> knownTree) {
    ProcessTrees.destroy(process.toHandle(), knownTree, STOP_GRACE);
  }

  /** Stops the process and all its descendants; the shutdown hook is then no longer needed. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs (or ran) stop() itself
    }
    stop();
  }

  private synchronized void stop() {
    destroy(process, knownTree);
  }
}
