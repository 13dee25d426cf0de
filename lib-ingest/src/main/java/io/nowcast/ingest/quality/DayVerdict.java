package io.nowcast.ingest.quality;

import static io.nowcast.ingest.quality.QualityReportTable.ABOVE_CAP_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.COMPLETENESS;
import static io.nowcast.ingest.quality.QualityReportTable.DAY;
import static io.nowcast.ingest.quality.QualityReportTable.DUPLICATE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.EXPECTED_INSTANTS;
import static io.nowcast.ingest.quality.QualityReportTable.FLATLINE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.IMPOSSIBLE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.INSTANTS_PRESENT;
import static io.nowcast.ingest.quality.QualityReportTable.JUMP_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.MAX_ABS_Z;
import static io.nowcast.ingest.quality.QualityReportTable.NONPOSITIVE_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.OUTLIER_ROWS;
import static io.nowcast.ingest.quality.QualityReportTable.REGION;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * The checks one region-day fails, decided on the driver from its (collected, small) report row, and the
 * words that describe the failing value in messages and the JSON summary.
 */
record DayVerdict(String region, String day, Set<QualityCheck> failed, Row row) {

  static DayVerdict of(Row row, QualitySettings s) {
    Set<QualityCheck> failed = EnumSet.noneOf(QualityCheck.class);
    if (row.<Double>getAs(COMPLETENESS) < s.completenessMinRatio()) {
      failed.add(QualityCheck.COMPLETENESS);
    }
    if (row.<Long>getAs(DUPLICATE_ROWS) > 0) {
      failed.add(QualityCheck.DUPLICATES);
    }
    if (row.<Long>getAs(FLATLINE_ROWS) > 0) {
      failed.add(QualityCheck.FLATLINE);
    }
    if (row.<Long>getAs(OUTLIER_ROWS) > 0) {
      failed.add(QualityCheck.OUTLIERS);
    }
    if (row.<Long>getAs(IMPOSSIBLE_ROWS) > 0) {
      failed.add(QualityCheck.IMPOSSIBLE);
    }
    return new DayVerdict(row.getAs(REGION), String.valueOf(row.<Object>getAs(DAY)), failed, row);
  }

  /** Whether a check of {@code policy} failed on this day. */
  boolean fails(QualitySettings s, QualityPolicy policy) {
    return failed.stream().anyMatch(c -> s.policy(c) == policy);
  }

  /** The failing value of {@code check}, with its threshold. */
  String describe(QualityCheck check, QualitySettings s) {
    return switch (check) {
      case COMPLETENESS -> String.format(Locale.ROOT, "completeness %.3f (%d of %d expected %d-minute instants)"
          + " < min_ratio %s", row.<Double>getAs(COMPLETENESS), row.<Long>getAs(INSTANTS_PRESENT),
          row.<Long>getAs(EXPECTED_INSTANTS), s.stepMinutes(), s.completenessMinRatio());
      case DUPLICATES -> row.<Long>getAs(DUPLICATE_ROWS) + " duplicate rows";
      case FLATLINE -> String.format(Locale.ROOT, "%d rows of constant load for >= %s h",
          row.<Long>getAs(FLATLINE_ROWS), s.flatlineMinHours());
      case OUTLIERS -> String.format(Locale.ROOT, "%d outlier rows (max |robust z| %.1f > %s)",
          row.<Long>getAs(OUTLIER_ROWS), row.<Double>getAs(MAX_ABS_Z), s.outlierThreshold());
      case IMPOSSIBLE -> String.format(Locale.ROOT,
          "%d impossible rows (%d <= 0 MW, %d above max_mw %s, %d jumps > %s)",
          row.<Long>getAs(IMPOSSIBLE_ROWS), row.<Long>getAs(NONPOSITIVE_ROWS), row.<Long>getAs(ABOVE_CAP_ROWS),
          s.maxMw(), row.<Long>getAs(JUMP_ROWS), s.maxJumpRatio());
    };
  }
}
