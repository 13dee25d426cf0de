package io.nowcast.serve.model;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded bundle with where it came from, shared by requests through a reference count: a request
 * {@link #acquire}s it and releases it when done, and a model replaced by a newer one is freed only
 * when its last request has released it (so a swap never pulls a booster from under a request).
 *
 * @param name registered model name, or the bundle directory's name for a local bundle
 * @param version registered version, or {@code local}
 * @param source where the files came from ({@code models:/name@alias}, a path)
 */
public final class LoadedModel {
  private final BundlePredictor predictor;
  private final String name;
  private final String version;
  private final String source;
  private final Instant loadedAt;
  // Requests in flight + 1 while this is the current model; 0 means freed. Never goes up from 0.
  private final AtomicInteger references = new AtomicInteger(1);

  public LoadedModel(BundlePredictor predictor, String name, String version, String source) {
    this.predictor = predictor;
    this.name = name;
    this.version = version;
    this.source = source;
    this.loadedAt = Instant.now();
  }

  public BundlePredictor predictor() {
    return predictor;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** Takes a reference for one request; false when the model was already freed (take the new one). */
  boolean acquire() {
    while (true) {
      int count = references.get();
      if (count == 0) {
        return false;
      }
      if (references.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  /** Gives back a reference; the last one frees the native boosters. */
  void release() {
    if (references.decrementAndGet() == 0) {
      predictor.close();
    }
  }

  /** Whether the native boosters were freed (for tests). */
  boolean isFreed() {
    return references.get() == 0;
  }
}
