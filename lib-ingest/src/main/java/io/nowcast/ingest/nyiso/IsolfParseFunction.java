package io.nowcast.ingest.nyiso;

import io.nowcast.ingest.source.ZipEntries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of the {@code isolf} ingest: one {@code binaryFile} row (a monthly {@code
 * YYYYMM01isolf_csv.zip} or a bare daily {@code YYYYMMDDisolf.csv}) to flat rows of {@link #SCHEMA}: a file
 * marker per daily file ({@link #KIND_FILE}), a row per forecast value ({@link #KIND_ROW}) and a row per
 * quarantined line ({@link #KIND_QUARANTINE}). The whole input is parsed before anything is emitted, so a
 * damaged archive fails its task having produced nothing.
 */
final class IsolfParseFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String KIND = "kind";
  static final String ARCHIVE = "archive";
  static final String FILE = "file";
  /** The issue day, {@code yyyy-MM-dd}. */
  static final String ISSUE_DAY = "issue_day";
  static final String LINE = "line";
  static final String REGION = "region";
  /** Start of the forecast hour, epoch seconds. */
  static final String TARGET_S = "target_s";
  static final String FORECAST_MW = "forecast_mw";
  static final String REASON = "reason";
  static final String RAW = "raw";

  static final String KIND_FILE = "F";
  static final String KIND_ROW = "R";
  static final String KIND_QUARANTINE = "Q";

  static final StructType SCHEMA =
      new StructType()
          .add(KIND, DataTypes.StringType, false)
          .add(ARCHIVE, DataTypes.StringType, false)
          .add(FILE, DataTypes.StringType, false)
          .add(ISSUE_DAY, DataTypes.StringType, false)
          .add(LINE, DataTypes.LongType, true)
          .add(REGION, DataTypes.StringType, true)
          .add(TARGET_S, DataTypes.LongType, true)
          .add(FORECAST_MW, DataTypes.DoubleType, true)
          .add(REASON, DataTypes.StringType, true)
          .add(RAW, DataTypes.StringType, true);

  private final LongAccumulator inputsDone;
  private final LongAccumulator rowsDone;

  /**
   * @param inputsDone progress counter of inputs parsed (null: none)
   * @param rowsDone progress counter of values and quarantined lines parsed (null: none)
   */
  IsolfParseFunction(LongAccumulator inputsDone, LongAccumulator rowsDone) {
    this.inputsDone = inputsDone;
    this.rowsDone = rowsDone;
  }

  @Override
  public Iterator<Row> call(Row input) {
    String path = input.getAs(PalParseFunction.BINARY_PATH);
    byte[] bytes = input.getAs(PalParseFunction.BINARY_CONTENT);
    List<IsolfParseResult> files = parseInput(path, bytes);
    List<Row> out = new ArrayList<>();
    long rows = 0;
    for (IsolfParseResult f : files) {
      String day = f.issueDate().toString();
      out.add(RowFactory.create(KIND_FILE, path, f.file(), day, null, null, null, null, null, null));
      for (IsolfRow r : f.rows()) {
        out.add(RowFactory.create(KIND_ROW, path, f.file(), day, r.line(), r.region(),
            r.targetUtc().getEpochSecond(), r.forecastMw(), null, null));
      }
      for (QuarantinedLine q : f.quarantined()) {
        out.add(RowFactory.create(KIND_QUARANTINE, path, f.file(), day, q.line(), null, null, null,
            q.reason(), q.raw()));
      }
      rows += f.rows().size() + f.quarantined().size();
    }
    if (inputsDone != null) {
      inputsDone.add(1);
      rowsDone.add(rows);
    }
    return out.iterator();
  }

  /** A monthly archive or a bare daily file, told apart by the name. */
  static List<IsolfParseResult> parseInput(String input, byte[] bytes) {
    String name = NyisoPalFiles.baseName(input);
    IsolfCsvParser parser = new IsolfCsvParser();
    try {
      if (NyisoFeed.ISOLF.dayOf(name).isPresent()) {
        return List.of(parser.parse(name, new ByteArrayInputStream(bytes)));
      }
      Map<String, byte[]> entries;
      try {
        entries = ZipEntries.read(bytes);
      } catch (ZipException e) {
        throw new NyisoPalFormatException(input, e.getMessage(), e);
      }
      List<IsolfParseResult> out = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        if (NyisoFeed.ISOLF.dayOf(e.getKey()).isEmpty()) {
          throw new NyisoPalFormatException(
              input, "unexpected entry '" + e.getKey() + "' (expected daily files YYYYMMDDisolf.csv)");
        }
        try {
          out.add(parser.parse(e.getKey(), new ByteArrayInputStream(e.getValue())));
        } catch (NyisoPalFormatException bad) {
          throw new NyisoPalFormatException(input, "entry " + bad.getMessage(), bad);
        }
      }
      if (out.isEmpty()) {
        throw new NyisoPalFormatException(input, "archive holds no daily files");
      }
      return out;
    } catch (IOException e) {
      throw new NyisoPalFormatException(input, "unreadable: " + e, e);
    }
  }
}
