package io.nowcast.ingest.caiso;

/**
 * An OASIS answer is not what OASIS publishes (not a zip, truncated, an HTML page, a CSV without the
 * {@code SLD_FCST} columns). Stops the ingest: a damaged answer could be silently incomplete. The message
 * names the request.
 */
public class OasisFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OasisFormatException(String request, String problem) {
    this(request, problem, null);
  }

  public OasisFormatException(String request, String problem, Throwable cause) {
    super(request + ": " + problem, cause);
  }
}
