package io.nowcast.serve.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.serve.model.BundlePredictor;
import io.nowcast.serve.model.CalibratedBands;
import io.nowcast.serve.model.LoadedModel;
import io.nowcast.models.tracking.NowcastBundle;
import java.util.List;

/**
 * Turns a validated request into megawatt forecasts: one booster input row per request row and horizon
 * (the horizon fills the {@code horizon_min} input), quantiles sorted so they never cross, and the
 * relative change scaled by the row's {@code load_now_mw} (the bundle's {@code relative_change}
 * target).
 */
final class Nowcaster {
  private Nowcaster() {}

  /** The answer of {@code POST /v1/nowcast}. */
  static ObjectNode answer(LoadedModel model, NowcastRequest request) {
    BundlePredictor predictor = model.predictor();
    NowcastBundle bundle = predictor.bundle();
    List<Integer> horizons = bundle.horizons();
    float[] inputs = expand(bundle, request);
    double[][] relative = predictor.predict(inputs, request.size() * horizons.size());
    double[] levels = predictor.levels();
    CalibratedBands bands = predictor.bands();
    String[] keys = new String[levels.length];
    for (int q = 0; q < levels.length; q++) {
      keys[q] = quantileKey(levels[q]);
    }

    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("model").put("name", model.name()).put("version", model.version());
    ArrayNode quantiles = root.putArray("quantiles");
    for (double level : levels) {
      quantiles.add(level);
    }
    ArrayNode rows = root.putArray("predictions");
    for (int r = 0; r < request.size(); r++) {
      ObjectNode row = rows.addObject();
      row.put("region", request.regions().get(r));
      row.put("load_now_mw", request.loadNow()[r]);
      ArrayNode perHorizon = row.putArray("horizons");
      for (int k = 0; k < horizons.size(); k++) {
        double[] values = relative[r * horizons.size() + k];
        bands.apply(values, levels, horizons.get(k), request.regions().get(r));
        ObjectNode horizon = perHorizon.addObject().put("horizon_min", horizons.get(k));
        for (int q = 0; q < levels.length; q++) {
          horizon.put(keys[q], megawatts(request.loadNow()[r], values[q]));
        }
      }
    }
    return root;
  }

  /** {@code p10} for 0.1, {@code p50} for 0.5 (the predictions table's column names). */
  static String quantileKey(double level) {
    return "p" + Math.round(level * 100);
  }

  /** The bundle's target: an output v forecasts {@code base × (1 + v)}. */
  static double megawatts(double loadNow, double relativeChange) {
    return loadNow * (1.0 + relativeChange);
  }

  /** Booster inputs in bundle order, request row-major × horizon. */
  static float[] expand(NowcastBundle bundle, NowcastRequest request) {
    List<String> features = bundle.features();
    List<String> requestFeatures = bundle.requestFeatures();
    int[] from = new int[features.size()];
    for (int c = 0; c < features.size(); c++) {
      // -1 marks the horizon input, filled per horizon.
      from[c] = requestFeatures.indexOf(features.get(c));
    }
    List<Integer> horizons = bundle.horizons();
    int columns = features.size();
    int requestColumns = requestFeatures.size();
    float[] out = new float[request.size() * horizons.size() * columns];
    int i = 0;
    for (int r = 0; r < request.size(); r++) {
      for (int horizon : horizons) {
        for (int c = 0; c < columns; c++) {
          out[i++] = from[c] < 0 ? horizon : request.inputs()[r * requestColumns + from[c]];
        }
      }
    }
    return out;
  }
}
