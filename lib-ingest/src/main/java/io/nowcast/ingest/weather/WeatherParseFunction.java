package io.nowcast.ingest.weather;

import io.nowcast.ingest.nyiso.QuarantinedLine;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of every weather ingest: one {@link WeatherFiles} row in, flat rows of {@link #SCHEMA} out:
 * a file marker ({@link #KIND_FILE}, so a file with no rows is still reported), one row per observation
 * ({@link #KIND_ROW}) and one per quarantined line ({@link #KIND_QUARANTINE}). One schema for the three keeps
 * the parse a single pass; the driver splits them with filters.
 */
final class WeatherParseFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String KIND = "kind";
  static final String CONTAINER = WeatherFiles.CONTAINER;
  static final String FILE = WeatherFiles.FILE;
  /** Quarantine partition of the file (see {@link WeatherParseResult#day()}). */
  static final String DAY = "day";
  static final String LINE = "line";
  static final String STATION = "station";
  static final String TS_S = "ts_s";
  static final String TEMP_C = "temp_c";
  static final String DEWPOINT_C = "dewpoint_c";
  static final String RH_PCT = "rh_pct";
  static final String WIND_MPS = "wind_mps";
  static final String PRESSURE_HPA = "pressure_hpa";
  static final String PRECIP_MM = "precip_mm";
  static final String REASON = "reason";
  static final String RAW = "raw";
  /** On file markers: lines the parser skipped by request. */
  static final String SKIPPED = "skipped";

  static final String KIND_FILE = "F";
  static final String KIND_ROW = "R";
  static final String KIND_QUARANTINE = "Q";

  static final StructType SCHEMA =
      new StructType()
          .add(KIND, DataTypes.StringType, false)
          .add(CONTAINER, DataTypes.StringType, false)
          .add(FILE, DataTypes.StringType, false)
          .add(DAY, DataTypes.StringType, true)
          .add(LINE, DataTypes.LongType, true)
          .add(STATION, DataTypes.StringType, true)
          .add(TS_S, DataTypes.LongType, true)
          .add(TEMP_C, DataTypes.DoubleType, true)
          .add(DEWPOINT_C, DataTypes.DoubleType, true)
          .add(RH_PCT, DataTypes.DoubleType, true)
          .add(WIND_MPS, DataTypes.DoubleType, true)
          .add(PRESSURE_HPA, DataTypes.DoubleType, true)
          .add(PRECIP_MM, DataTypes.DoubleType, true)
          .add(REASON, DataTypes.StringType, true)
          .add(RAW, DataTypes.StringType, true)
          .add(SKIPPED, DataTypes.LongType, true);

  private final WeatherFileParser parser;

  WeatherParseFunction(WeatherFileParser parser) {
    this.parser = parser;
  }

  @Override
  public Iterator<Row> call(Row input) {
    String container = input.getAs(WeatherFiles.CONTAINER);
    String file = input.getAs(WeatherFiles.FILE);
    byte[] content = input.getAs(WeatherFiles.CONTENT);
    // The whole file is parsed before the first row is returned: a damaged file fails the task having
    // emitted nothing.
    WeatherParseResult r = parser.parse(file, content);
    List<Row> out = new ArrayList<>(r.rows().size() + r.quarantined().size() + 1);
    out.add(RowFactory.create(KIND_FILE, container, file, r.day(), null, null, null, null, null, null, null,
        null, null, null, null, r.skipped()));
    for (WeatherRecord w : r.rows()) {
      out.add(RowFactory.create(KIND_ROW, container, file, r.day(), w.line(), w.station(), w.epochSecond(),
          w.tempC(), w.dewpointC(), w.rhPct(), w.windMps(), w.pressureHpa(), w.precipMm(), null, null, null));
    }
    for (QuarantinedLine q : r.quarantined()) {
      out.add(RowFactory.create(KIND_QUARANTINE, container, file, r.day(), q.line(), null, null, null, null,
          null, null, null, null, q.reason(), q.raw(), null));
    }
    return out.iterator();
  }
}
