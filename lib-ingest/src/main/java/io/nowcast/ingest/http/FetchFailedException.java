package io.nowcast.ingest.http;

/** A URL could not be fetched after every allowed attempt; the message names the URL and the last cause. */
public final class FetchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String url;
  private final int lastStatus;

  public FetchFailedException(String url, int attempts, int lastStatus, String lastProblem, Throwable cause) {
    super("GET " + url + " failed after " + attempts + " attempt(s): " + lastProblem, cause);
    this.url = url;
    this.lastStatus = lastStatus;
  }

  public String url() {
    return url;
  }

  /** The last HTTP status, or -1 when the last attempt got no response (timeout, refused). */
  public int lastStatus() {
    return lastStatus;
  }
}
