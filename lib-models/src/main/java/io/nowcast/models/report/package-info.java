/**
 * The evaluation report: small Spark aggregates of the evaluation rows, JFreeChart charts rendered
 * headless to PNG, and one self-contained HTML page; {@link io.nowcast.models.report.ReportWriter} is
 * the entry point.
 */
package io.nowcast.models.report;
