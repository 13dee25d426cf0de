package io.nowcast.serve.registry;

import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.models.tracking.ModelRegistryClient.ModelVersion;
import io.nowcast.serve.model.BundlePredictor;
import io.nowcast.serve.model.LoadedModel;
import io.nowcast.serve.model.ModelSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served model on the version behind a registry alias: checks the alias now and then every
 * {@code interval}, and when it points at another version downloads that version's bundle, loads it
 * and swaps it in ({@link ModelSlot#swap}; requests in flight finish on the old model). A failed check
 * or load keeps the current model and is retried at the next tick.
 */
public final class AliasWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AliasWatcher.class);

  private final ModelRegistryClient registry;
  private final String model;
  private final String alias;
  private final Path cacheDir;
  private final ModelSlot slot;
  private final int predictThreads;
  private final ScheduledExecutorService scheduler;
  private volatile String lastError;

  public AliasWatcher(
      ModelRegistryClient registry, String model, String alias, Path cacheDir, ModelSlot slot,
      int predictThreads) {
    this.registry = registry;
    this.model = model;
    this.alias = alias;
    this.cacheDir = cacheDir;
    this.slot = slot;
    this.predictThreads = predictThreads;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "alias-watcher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The {@code models:/name@alias} this watcher follows. */
  public String modelUri() {
    return "models:/" + model + "@" + alias;
  }

  /** Checks once now (so a server can start with its model), then every {@code interval}. */
  public void start(Duration interval) {
    checkOnce();
    long millis = Math.max(1, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::checkOnce, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The problem of the last check, if it failed. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** One check: loads and swaps in the alias's version when it is not the one served. */
  public void checkOnce() {
    try {
      ModelVersion version = registry.getByAlias(model, alias);
      String number = Integer.toString(version.version());
      String served = slot.current().map(LoadedModel::version).orElse(null);
      if (!number.equals(served)) {
        Path dir = fetch(version);
        BundlePredictor predictor = BundlePredictor.load(dir, predictThreads);
        slot.swap(new LoadedModel(predictor, model, number, modelUri()));
        LOG.info("serving {} version {} (was {})", modelUri(), number, served);
      }
      lastError = null;
    } catch (RuntimeException e) {
      // Keep serving what we have; the message goes to /ready and the log.
      lastError = e.getMessage();
      LOG.warn("checking {} failed, keeping the current model: {}", modelUri(), e.getMessage());
    }
  }

  /** Downloads into a fresh directory, renamed into place when complete (never a half bundle). */
  private Path fetch(ModelVersion version) {
    Path finalDir = cacheDir.resolve(model).resolve(Integer.toString(version.version()));
    if (Files.isDirectory(finalDir)) {
      return finalDir;
    }
    try {
      Files.createDirectories(finalDir.getParent());
      Path partial = Files.createTempDirectory(finalDir.getParent(), version.version() + ".partial-");
      try {
        registry.download(version, partial);
        Files.move(partial, finalDir, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteTree(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the model in " + finalDir, e);
    }
    return finalDir;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
