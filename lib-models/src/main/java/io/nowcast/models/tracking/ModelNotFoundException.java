package io.nowcast.models.tracking;

/**
 * The registry has no such model, version or alias. A user mistake more often than a fault (a typo in
 * {@code --model}, promoting before the first training run), so it is an {@link IllegalArgumentException}:
 * the CLI prints the message and exits 2 without a stack trace.
 */
public class ModelNotFoundException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
