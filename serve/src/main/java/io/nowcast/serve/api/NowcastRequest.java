package io.nowcast.serve.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated body of {@code POST /v1/nowcast}: feature rows in the booster's input order. Every check
 * answers 400 with the row index and the offending names, so a client can fix its request.
 *
 * <p>Rules: {@code region} must be a known region; {@code load_now_mw} a finite number &gt; 0; {@code
 * features} must hold every input the model takes (extra keys are ignored), each a JSON number or
 * {@code null} (a missing value, which XGBoost handles like a gap in the features table).
 *
 * @param inputs row-major, {@code rows.size() × requestFeatures.size()}, NaN for null
 */
public record NowcastRequest(List<String> regions, double[] loadNow, float[] inputs) {

  /** Field names of the request body. */
  public static final String ROWS = "rows";
  public static final String REGIONS = "regions";
  public static final String REGION = "region";
  public static final String LOAD_NOW = "load_now_mw";
  public static final String FEATURES = "features";

  public int size() {
    return regions.size();
  }

  /**
   * Parses {@code body} against the model's request features.
   *
   * @throws ApiException 400 for any invalid part, 501 for the {@code regions} form
   */
  public static NowcastRequest parse(
      JsonNode body, List<String> requestFeatures, Set<String> knownRegions, int maxRows) {
    if (body == null || !body.isObject()) {
      throw bad("the body must be a JSON object with \"" + ROWS + "\"", null);
    }
    if (body.has(REGIONS) && !body.has(ROWS)) {
      throw new ApiException(
          501,
          "\"" + REGIONS + "\" (latest features of named regions) is not supported by this server",
          Map.of(
              "reason",
              "the model inputs are derived from the features table by Spark expressions "
                  + "(ModelInputs), which this Spark-free server does not run",
              "instead",
              "send \"rows\" with the model inputs, or GET /v1/nowcast/{region}/latest for the "
                  + "batch nowcast written by `nowcast predict`"));
    }
    JsonNode rows = body.get(ROWS);
    if (rows == null || !rows.isArray() || rows.isEmpty()) {
      throw bad("\"" + ROWS + "\" must be a non-empty array", null);
    }
    if (rows.size() > maxRows) {
      throw bad("too many rows", Map.of("max_rows", maxRows, "rows", rows.size()));
    }
    int columns = requestFeatures.size();
    List<String> regions = new ArrayList<>(rows.size());
    double[] loadNow = new double[rows.size()];
    float[] inputs = new float[rows.size() * columns];
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      if (!row.isObject()) {
        throw bad("each row must be a JSON object", Map.of("row", r));
      }
      JsonNode region = row.get(REGION);
      if (region == null || !region.isTextual()) {
        throw bad("\"" + REGION + "\" must be a string", Map.of("row", r));
      }
      if (!knownRegions.contains(region.asText())) {
        throw bad("unknown region", Map.of("row", r, "region", region.asText(),
            "known_regions", knownRegions));
      }
      regions.add(region.asText());
      JsonNode load = row.get(LOAD_NOW);
      if (load == null || !load.isNumber() || !Double.isFinite(load.asDouble()) || load.asDouble() <= 0) {
        throw bad("\"" + LOAD_NOW + "\" must be a number > 0 (megawatts at issue time)",
            Map.of("row", r));
      }
      loadNow[r] = load.asDouble();
      JsonNode features = row.get(FEATURES);
      if (features == null || !features.isObject()) {
        throw bad("\"" + FEATURES + "\" must be an object of model inputs", Map.of("row", r));
      }
      readFeatures(features, requestFeatures, inputs, r * columns, r);
    }
    return new NowcastRequest(List.copyOf(regions), loadNow, inputs);
  }

  private static void readFeatures(
      JsonNode features, List<String> names, float[] inputs, int offset, int row) {
    List<String> missing = new ArrayList<>();
    Map<String, String> notNumeric = new LinkedHashMap<>();
    for (int c = 0; c < names.size(); c++) {
      JsonNode value = features.get(names.get(c));
      if (value == null) {
        missing.add(names.get(c));
      } else if (value.isNull()) {
        inputs[offset + c] = Float.NaN;
      } else if (value.isNumber() && Double.isFinite(value.asDouble())) {
        inputs[offset + c] = (float) value.asDouble();
      } else {
        notNumeric.put(names.get(c), value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (!missing.isEmpty()) {
      throw bad("missing features", Map.of("row", row, "missing", missing));
    }
    if (!notNumeric.isEmpty()) {
      throw bad("non-numeric features (numbers or null only)",
          Map.of("row", row, "not_numeric", notNumeric));
    }
  }

  private static ApiException bad(String message, Object detail) {
    return new ApiException(400, message, detail);
  }
}
