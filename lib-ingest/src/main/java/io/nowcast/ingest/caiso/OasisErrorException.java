package io.nowcast.ingest.caiso;

/**
 * OASIS answered with its own error document ({@code ERR_CODE}, {@code ERR_DESC}, e.g. {@code
 * INVALID_REQUEST.xml}) instead of data. OASIS sends these with HTTP 200, so only the body tells; the
 * message names the request so the caller can see which span or parameter was refused.
 */
public final class OasisErrorException extends OasisFormatException {
  private static final long serialVersionUID = 1L;
  private final String code;
  private final String description;

  public OasisErrorException(String request, String code, String description) {
    super(request, "OASIS error " + code + ": " + description);
    this.code = code;
    this.description = description;
  }

  /** OASIS's {@code ERR_CODE}. */
  public String code() {
    return code;
  }

  /** OASIS's {@code ERR_DESC}. */
  public String description() {
    return description;
  }
}
