package io.nowcast.models.xgb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.nowcast.models.tracking.NowcastBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalPairsTest {
  @Test
  void theUpperLevelIsTheListedMirrorNotItsBinaryNeighbour() {
    assertNotEquals(0.93, 1.0 - 0.07, "the reason for the rounding");
    assertEquals(0.93, NowcastBundle.pairedUpperLevel(0.07), 0.0);
    assertEquals(0.9, NowcastBundle.pairedUpperLevel(0.1), 0.0);
    assertEquals(0.75, NowcastBundle.pairedUpperLevel(0.25), 0.0);
    assertEquals(0.95, NowcastBundle.pairedUpperLevel(0.05), 0.0);
  }

  @Test
  void pairsAreTheLevelsBelowTheMedianWhoseMirrorIsALevelToo() {
    List<double[]> pairs = IntervalCalibration.pairs(List.of(0.1, 0.25, 0.5, 0.75, 0.9, 0.95));
    assertEquals(2, pairs.size());
    assertEquals(List.of(0.1, 0.9), List.of(pairs.get(0)[0], pairs.get(0)[1]));
    assertEquals(List.of(0.25, 0.75), List.of(pairs.get(1)[0], pairs.get(1)[1]));
  }
}
