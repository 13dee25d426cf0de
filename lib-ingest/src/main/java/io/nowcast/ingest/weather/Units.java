package io.nowcast.ingest.weather;

/**
 * Conversions from the units sources publish in to the raw weather contract's units (°C, m/s, hPa, mm).
 * Factors are the exact definitions (international inch, mile and foot; the inch of mercury at 0 °C as
 * 3386.389 Pa per NIST SP 811), so results do not depend on rounded look-up values.
 */
public final class Units {
  /** Pascals per inch of mercury (conventional, at 0 °C). */
  static final double PA_PER_INHG = 3386.389;
  static final double MPS_PER_MPH = 0.44704;
  static final double MM_PER_INCH = 25.4;

  private Units() {}

  public static double fahrenheitToCelsius(double f) {
    return (f - 32.0) * 5.0 / 9.0;
  }

  public static double mphToMps(double mph) {
    return mph * MPS_PER_MPH;
  }

  public static double kmhToMps(double kmh) {
    return kmh / 3.6;
  }

  public static double inHgToHpa(double inHg) {
    return inHg * PA_PER_INHG / 100.0;
  }

  public static double inchesToMm(double inches) {
    return inches * MM_PER_INCH;
  }
}
