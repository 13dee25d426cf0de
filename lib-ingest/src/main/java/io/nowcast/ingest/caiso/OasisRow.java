package io.nowcast.ingest.caiso;

import java.time.Instant;

/**
 * One interval of an OASIS {@code SLD_FCST} answer.
 *
 * @param tacArea the TAC area ({@code TAC_AREA_NAME} in CSV, {@code RESOURCE_NAME} in XML), e.g. {@code PGE-TAC}
 * @param start interval start, UTC
 * @param end interval end, UTC
 * @param mw the load, or {@code null} where OASIS gave none
 * @param line 1-based line (CSV) or {@code REPORT_DATA} element number (XML), for messages
 */
public record OasisRow(String tacArea, Instant start, Instant end, Double mw, long line) {}
