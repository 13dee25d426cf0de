package io.nowcast.models.tracking;

/**
 * MLflow cannot be used at all: the local server could not be installed or started, or the tracking
 * server does not answer. The message is one line that says what to fix.
 */
public class TrackingUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrackingUnavailableException(String message) {
    super(message);
  }

  public TrackingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
