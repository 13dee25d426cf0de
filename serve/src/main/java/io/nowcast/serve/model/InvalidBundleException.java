package io.nowcast.serve.model;

/** A model bundle that cannot be served: missing files, an unknown format, inconsistent metadata. */
public final class InvalidBundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
