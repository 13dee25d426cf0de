package io.nowcast.ingest.nyiso;

/**
 * The number check shared by the NYISO CSV parsers (actual load and ISO forecast). Hand-written because
 * {@link Double#parseDouble} and the usual number parsers also accept "NaN", "Infinity", exponents and
 * hex floats, which in these files mean a corrupt line, not a load.
 */
final class PlainDecimal {
  private PlainDecimal() {}

  /**
   * Digits with an optional sign and at most one decimal point ({@code 1500}, {@code -3.5}, {@code .5});
   * at least one digit. {@code s} must not be empty (callers treat an empty field separately).
   */
  static boolean isPlainDecimal(String s) {
    int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    boolean digit = false;
    boolean point = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        return false;
      }
    }
    return digit;
  }
}
