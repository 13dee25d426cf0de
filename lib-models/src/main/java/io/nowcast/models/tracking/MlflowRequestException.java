package io.nowcast.models.tracking;

/**
 * The MLflow server answered a request with an error. The message names the method, the URL, the HTTP
 * status and MLflow's own error code and text, so a failed call can be reproduced with curl.
 */
public class MlflowRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final int status;
  private final String errorCode;

  public MlflowRequestException(String method, String url, int status, String errorCode, String detail) {
    super(
        method + " " + url + " failed with HTTP " + status
            + (errorCode.isEmpty() ? "" : " " + errorCode)
            + (detail.isEmpty() ? "" : ": " + detail));
    this.url = url;
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The full URL of the failed request. */
  public String url() {
    return url;
  }

  /** The HTTP status code, e.g. 404. */
  public int status() {
    return status;
  }

  /** MLflow's {@code error_code} (e.g. {@code RESOURCE_DOES_NOT_EXIST}), or "" when the body had none. */
  public String errorCode() {
    return errorCode;
  }
}
