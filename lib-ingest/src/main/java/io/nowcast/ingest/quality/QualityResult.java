package io.nowcast.ingest.quality;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the quality stage returns: the cleaned raw load (same columns as its input; persisted, so the
 * checks are not computed again by the next stage), the report table ({@link QualityReportTable}) and
 * its totals. Close it once the cleaned rows have been consumed to free the cache.
 */
public final class QualityResult implements AutoCloseable {
  private final Dataset<Row> cleaned;
  private final Dataset<Row> report;
  private final QualitySummary summary;
  private final List<Dataset<Row>> persisted;

  QualityResult(Dataset<Row> cleaned, Dataset<Row> report, QualitySummary summary,
      List<Dataset<Row>> persisted) {
    this.cleaned = cleaned;
    this.report = report;
    this.summary = summary;
    this.persisted = List.copyOf(persisted);
  }

  /** The raw load after the policies: raw load contract columns. */
  public Dataset<Row> cleaned() {
    return cleaned;
  }

  /** One row per region and UTC day ({@link QualityReportTable#SCHEMA}), built from collected rows. */
  public Dataset<Row> report() {
    return report;
  }

  public QualitySummary summary() {
    return summary;
  }

  @Override
  public void close() {
    persisted.forEach(Dataset::unpersist);
  }
}
