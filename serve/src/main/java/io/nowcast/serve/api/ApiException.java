package io.nowcast.serve.api;

/**
 * A request the API refuses, answered as {@code {"error": message, "detail": detail}} with {@code
 * status}. Thrown by validation; never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Object detail;

  public ApiException(int status, String message, Object detail) {
    super(message, null, false, false);
    this.status = status;
    this.detail = detail;
  }

  public int status() {
    return status;
  }

  public Object detail() {
    return detail;
  }
}
