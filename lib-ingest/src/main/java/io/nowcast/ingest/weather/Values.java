package io.nowcast.ingest.weather;

/** Parsing of numeric fields shared by the weather parsers: empty means missing, anything else must be a finite number. */
final class Values {
  private Values() {}

  /** {@code null} for an empty field, else the number. */
  static Double optionalDouble(String field, String column) throws BadLineException {
    String text = field == null ? "" : field.trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new BadLineException("non-numeric " + column);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadLineException("non-numeric " + column);
    }
  }

  /** An integer field of a fixed-width line. */
  static int fixedInt(String line, int fromColumn, int toColumn, String name) throws BadLineException {
    // Positions in format documents are 1-based and inclusive.
    String text = line.substring(fromColumn - 1, toColumn).trim();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new BadLineException("non-numeric " + name);
    }
  }

  /** {@code f} applied to {@code value}, or {@code null} when the value is missing. */
  static Double map(Double value, java.util.function.DoubleUnaryOperator f) {
    return value == null ? null : f.applyAsDouble(value);
  }
}
