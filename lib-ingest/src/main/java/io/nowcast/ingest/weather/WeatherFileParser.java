package io.nowcast.ingest.weather;

import java.io.Serializable;

/**
 * Turns one source file (as fetched or unpacked, still compressed where the source compresses) into
 * observations. Implementations run on executors, hence {@link Serializable}, and must be pure functions of
 * their input so that a re-run yields identical rows.
 */
public interface WeatherFileParser extends Serializable {
  /**
   * @param file the file's name or URL, used in messages and reports
   * @param content the file's bytes
   * @throws WeatherFormatException if the file as a whole is unreadable (truncated gzip, not the format);
   *     single bad lines are quarantined instead
   */
  WeatherParseResult parse(String file, byte[] content);
}
