package io.nowcast.serve.model;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The model the API serves now. {@link #swap} replaces it atomically; requests that started on the old
 * model finish on it, and the old model is freed when the last of them is done.
 */
public final class ModelSlot {
  private final AtomicReference<LoadedModel> current = new AtomicReference<>();

  /** The current model, if one was loaded. */
  public Optional<LoadedModel> current() {
    return Optional.ofNullable(current.get());
  }

  /** Installs {@code next} as the current model and retires the previous one. */
  public void swap(LoadedModel next) {
    LoadedModel previous = current.getAndSet(next);
    if (previous != null) {
      previous.release();
    }
  }

  /**
   * Runs {@code work} with the current model held, so a concurrent swap cannot free it meanwhile.
   *
   * @throws ModelNotLoadedException when no model was loaded yet
   */
  public <T> T withModel(Function<LoadedModel, T> work) {
    while (true) {
      LoadedModel model = current.get();
      if (model == null) {
        throw new ModelNotLoadedException();
      }
      // acquire fails only when a swap freed this model between get() and acquire(): read again.
      if (model.acquire()) {
        try {
          return work.apply(model);
        } finally {
          model.release();
        }
      }
    }
  }

  /** Frees the current model (at shutdown). */
  public void close() {
    LoadedModel previous = current.getAndSet(null);
    if (previous != null) {
      previous.release();
    }
  }

  /** No model has been loaded yet (the server is not ready). */
  public static final class ModelNotLoadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ModelNotLoadedException() {
      super("no model is loaded yet");
    }
  }
}
