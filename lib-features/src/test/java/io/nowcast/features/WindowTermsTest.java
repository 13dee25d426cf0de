package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nowcast.features.Frames.Point;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@link WindowTerms}: a term asked for several times is one window function, with the right values. */
class WindowTermsTest {
  private static final Instant START = Frames.at("2024-03-01T00:00:00Z");

  @Test
  void aTermAskedForTwiceIsComputedOnceWithTheRightValues() {
    List<Point> points = new ArrayList<>(Frames.grid("A", START, 5, new Double[] {1.0, 2.0, null, 4.0, 8.0}));
    points.addAll(Frames.grid("B", START, 5, new Double[] {10.0, 20.0, 30.0}));
    Dataset<Row> series = Frames.series(points);
    WindowTerms terms = new WindowTerms(series);
    Column load = col(SeriesColumns.LOAD);

    // The same terms, asked for by two "stages", in two expressions each.
    Column sumA = terms.runningSum("load", load);
    Column lagA = terms.lag("load", load, 2);
    Column sumB = terms.runningSum("load", load);
    Column lagB = terms.lag("load", load, 2);
    Dataset<Row> out = terms.addTo(series)
        .select(col(SeriesColumns.REGION), col(SeriesColumns.TS), sumA.plus(sumB).as("twice_sum"),
            lagA.minus(lagB).as("zero_lag"), sumA.minus(lagB).as("sum_minus_lag"))
        .orderBy(SeriesColumns.REGION, SeriesColumns.TS);

    assertEquals(2, terms.size(), terms.names().toString());
    String plan = out.queryExecution().executedPlan().toString();
    assertEquals(2, Pattern.compile("windowspecdefinition").matcher(plan).results().count(), plan);

    List<Row> rows = out.collectAsList();
    // Region A: running sums 1, 3, 3, 7, 15 (the null adds nothing); lags 2 back: -, -, 1, 2, null.
    double[] sums = {1, 3, 3, 7, 15};
    Double[] lags = {null, null, 1.0, 2.0, null};
    for (int i = 0; i < 5; i++) {
      Row row = rows.get(i);
      assertEquals(2 * sums[i], row.getDouble(2), 0.0, "row " + i);
      if (lags[i] == null) {
        assertNull(row.get(3), "row " + i);
        assertNull(row.get(4), "row " + i);
      } else {
        assertEquals(0.0, row.getDouble(3), 0.0);
        assertEquals(sums[i] - lags[i], row.getDouble(4), 0.0, "row " + i);
      }
    }
    // Region B is its own partition: its sums start again from its first row.
    assertEquals(2 * 10.0, rows.get(5).getDouble(2), 0.0);
    assertEquals(2 * 60.0, rows.get(7).getDouble(2), 0.0);
    assertEquals(60.0 - 10.0, rows.get(7).getDouble(4), 0.0);
  }

  @Test
  void equalNamesNeverStandForDifferentTerms() {
    Dataset<Row> series = Frames.series(Frames.grid("A", START, 5, new Double[] {1.0, 2.0, 3.0}));
    WindowTerms terms = new WindowTerms(series);
    Column load = col(SeriesColumns.LOAD);
    terms.lag("load", load, 1);
    terms.lag("load", load, 2);
    terms.lead("load", load, 1);
    terms.sumUpToRowsBack("load", load, 1);
    terms.runningSum("load", load);
    assertEquals(5, terms.size(), "a term's name carries its function and offset: " + terms.names());
  }
}
