package io.nowcast.ingest.weather;

/** A weather source file as a whole cannot be read; the message names the file (or URL) and the problem. */
public final class WeatherFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String input;
  private final String problem;

  public WeatherFormatException(String input, String problem, Throwable cause) {
    super(input + ": " + problem, cause);
    this.input = input;
    this.problem = problem;
  }

  /** The file or URL that could not be read. */
  public String input() {
    return input;
  }

  public String problem() {
    return problem;
  }
}
