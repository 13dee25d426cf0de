package io.nowcast.ingest.nyiso;

/**
 * A whole input (a daily CSV or a monthly archive) is not what NYISO publishes: an HTML error page, an empty
 * body, a truncated or corrupt zip. Unlike a bad row, which is quarantined, this stops the ingest, because
 * anything read from such an input could be silently incomplete. The message always names the input.
 */
public class NyisoPalFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final String problem;

  public NyisoPalFormatException(String input, String problem) {
    this(input, problem, null);
  }

  public NyisoPalFormatException(String input, String problem, Throwable cause) {
    super(input + ": " + problem, cause);
    this.input = input;
    this.problem = problem;
  }

  /** The input (file, archive entry or URL) that is malformed. */
  public String input() {
    return input;
  }

  /** What is wrong with it. */
  public String problem() {
    return problem;
  }
}
