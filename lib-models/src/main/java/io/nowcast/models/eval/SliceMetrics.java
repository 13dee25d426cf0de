package io.nowcast.models.eval;

/**
 * Metrics of one slice of the test rows: {@code dimension} is {@code region} or {@code hour} (local
 * hour of day at issue time where the features have it, else UTC), {@code key} its value.
 */
public record SliceMetrics(String dimension, String key, HorizonMetrics metrics) {
  public static final String REGION = "region";
  public static final String HOUR = "hour";
}
