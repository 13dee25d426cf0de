package io.nowcast.ingest.weather;

/**
 * Thrown inside a parser when one line cannot become a row; the parser catches it and quarantines the line
 * with {@link #getMessage()} as the categorical reason. Stack-less: it is control flow, not a failure.
 */
final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  BadLineException(String reason) {
    super(reason, null, false, false);
  }
}
