package io.nowcast.serve.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nowcast.models.tracking.NowcastBundle;
import io.nowcast.serve.bench.TinyBundle;
import io.nowcast.serve.model.BundlePredictor;
import io.nowcast.serve.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle's {@code interval_calibration} in the API's answers: the region's own margin, else the
 * pooled one, moves P10 down and P90 up by margin × load (inward when negative, never past the P50,
 * which does not move), the same rule the batch model applies.
 */
class CalibratedAnswerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REGIONS = Set.of("N.Y.C.", "HUD VL");

  @TempDir Path dir;

  @Test
  void marginsMoveTheBandPerRegionAndHorizonAndLeaveTheMedian() throws Exception {
    Path plain = dir.resolve("plain");
    Path calibrated = dir.resolve("calibrated");
    NowcastBundle bundle = TinyBundle.write(plain, 7, false);
    TinyBundle.write(calibrated, 7, false);
    List<NowcastBundle.IntervalMargin> margins = List.of(
        new NowcastBundle.IntervalMargin(15, 0.1, 0.9, "N.Y.C.", 0.004, 100),
        new NowcastBundle.IntervalMargin(15, 0.1, 0.9, "*", -0.002, 300),
        new NowcastBundle.IntervalMargin(30, 0.1, 0.9, "N.Y.C.", -1.0, 100));
    new NowcastBundle(bundle.features(), bundle.horizons(), bundle.quantiles(), bundle.boosters(),
        bundle.target(), bundle.baseColumn(), bundle.stepMinutes(), bundle.horizonAsFeature(),
        bundle.objective(), bundle.xgboostVersion(), margins)
        .write(calibrated);

    JsonNode body = body(TinyBundle.randomFeatures(new Random(4)));
    JsonNode before = answer(plain, body);
    JsonNode after = answer(calibrated, body);
    for (int row = 0; row < 2; row++) {
      double load = before.path("predictions").get(row).path("load_now_mw").asDouble();
      JsonNode was = before.path("predictions").get(row).path("horizons");
      JsonNode now = after.path("predictions").get(row).path("horizons");
      double margin15 = row == 0 ? 0.004 : -0.002; // N.Y.C.'s own, then HUD VL's pooled
      assertEquals(was.get(0).path("p50").asDouble(), now.get(0).path("p50").asDouble(), 0.0);
      assertEquals(Math.min(was.get(0).path("p10").asDouble() - margin15 * load, now.get(0).path("p50").asDouble()),
          now.get(0).path("p10").asDouble(), 1e-9);
      assertEquals(Math.max(was.get(0).path("p90").asDouble() + margin15 * load, now.get(0).path("p50").asDouble()),
          now.get(0).path("p90").asDouble(), 1e-9);
      // h45 and h60 have no margin at all: unchanged.
      assertEquals(was.get(3), now.get(3));
    }
    // A margin of -1 would cross the median; the band collapses onto it instead.
    JsonNode nyc30 = after.path("predictions").get(0).path("horizons").get(1);
    assertEquals(nyc30.path("p50").asDouble(), nyc30.path("p10").asDouble(), 0.0);
    assertEquals(nyc30.path("p50").asDouble(), nyc30.path("p90").asDouble(), 0.0);
    // HUD VL at 30 min: no own margin and no pooled one, so as the boosters give it.
    assertEquals(before.path("predictions").get(1).path("horizons").get(1),
        after.path("predictions").get(1).path("horizons").get(1));
    assertTrue(after.path("predictions").get(0).path("horizons").get(0).path("p90").asDouble()
        > before.path("predictions").get(0).path("horizons").get(0).path("p90").asDouble());
  }

  private static JsonNode answer(Path bundleDir, JsonNode body) {
    try (BundlePredictor predictor = BundlePredictor.load(bundleDir, 1)) {
      LoadedModel model = new LoadedModel(predictor, "tiny", "local", bundleDir.toString());
      NowcastRequest request = NowcastRequest.parse(body, predictor.bundle().requestFeatures(), REGIONS, 10);
      return Nowcaster.answer(model, request);
    }
  }

  private static JsonNode body(Map<String, Double> features) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rows = root.putArray("rows");
    for (String region : List.of("N.Y.C.", "HUD VL")) {
      ObjectNode row = rows.addObject().put("region", region).put("load_now_mw", 5000.0);
      row.set("features", JSON.valueToTree(features));
    }
    return root;
  }
}
