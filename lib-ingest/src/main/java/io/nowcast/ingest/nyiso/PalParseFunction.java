package io.nowcast.ingest.nyiso;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of the archive ingest: turns one {@code binaryFile} row (an archive's or a bare daily CSV's
 * path and bytes) into flat rows of {@link #SCHEMA}, one per daily file ({@link #KIND_FILE}, so empty files are still counted),
 * per accepted row ({@link #KIND_ROW}) and per quarantined line ({@link #KIND_QUARANTINE}). One schema for
 * the three keeps the parse a single pass over the archives; the driver splits them with filters.
 */
final class PalParseFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final NyisoFeed feed;
  private final LongAccumulator inputsDone;
  private final LongAccumulator rowsDone;

  /**
   * @param inputsDone progress counter of inputs parsed (null: none)
   * @param rowsDone progress counter of lines parsed (null: none)
   */
  PalParseFunction(NyisoFeed feed, LongAccumulator inputsDone, LongAccumulator rowsDone) {
    this.feed = feed;
    this.inputsDone = inputsDone;
    this.rowsDone = rowsDone;
  }

  static final String KIND = "kind";
  static final String ARCHIVE = "archive";
  static final String FILE = "file";
  /** Local New York day of the file, {@code yyyy-MM-dd}, from its name. */
  static final String FILE_DAY = "file_day";
  static final String LINE = "line";
  static final String REGION = "region";
  /** Published stamp in UTC, epoch seconds (the data has whole seconds); not yet snapped. */
  static final String TS_S = "ts_s";
  static final String LOAD_MW = "load_mw";
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
          .add(FILE_DAY, DataTypes.StringType, true)
          .add(LINE, DataTypes.LongType, true)
          .add(REGION, DataTypes.StringType, true)
          .add(TS_S, DataTypes.LongType, true)
          .add(LOAD_MW, DataTypes.DoubleType, true)
          .add(REASON, DataTypes.StringType, true)
          .add(RAW, DataTypes.StringType, true);

  /** Input columns of Spark's {@code binaryFile} source. */
  static final String BINARY_PATH = "path";
  static final String BINARY_CONTENT = "content";

  @Override
  public Iterator<Row> call(Row archiveRow) {
    String archive = archiveRow.getAs(BINARY_PATH);
    byte[] bytes = archiveRow.getAs(BINARY_CONTENT);
    // The whole archive is parsed before the first row is returned, so a damaged archive fails the task
    // without having emitted anything.
    List<NyisoPalParseResult> files = parseInput(feed, archive, bytes);
    List<Row> out = new ArrayList<>();
    long lines = 0;
    for (NyisoPalParseResult f : files) {
      lines += f.linesRead();
      String day = feed.dayOf(f.file()).map(Object::toString).orElse(null);
      out.add(RowFactory.create(KIND_FILE, archive, f.file(), day, null, null, null, null, null, null));
      for (NyisoPalRow r : f.rows()) {
        out.add(
            RowFactory.create(
                KIND_ROW,
                archive,
                f.file(),
                day,
                r.line(),
                r.region(),
                r.tsUtc().getEpochSecond(),
                r.loadMw(),
                null,
                null));
      }
      for (QuarantinedLine q : f.quarantined()) {
        out.add(
            RowFactory.create(
                KIND_QUARANTINE, archive, f.file(), day, q.line(), null, null, null, q.reason(), q.raw()));
      }
    }
    if (inputsDone != null) {
      inputsDone.add(1);
      rowsDone.add(lines);
    }
    return out.iterator();
  }

  /**
   * A monthly archive, or a bare daily CSV (as landed by {@link NyisoHttpSource}): the daily file name is
   * what tells them apart, so both go through the same Spark path.
   */
  static List<NyisoPalParseResult> parseInput(NyisoFeed feed, String input, byte[] bytes) {
    String name = NyisoPalFiles.baseName(input);
    if (feed.dayOf(name).isEmpty()) {
      return new NyisoPalArchive(feed).parse(input, bytes);
    }
    try {
      return List.of(new NyisoPalCsvParser(feed).parse(name, new ByteArrayInputStream(bytes)));
    } catch (NyisoPalFormatException e) {
      throw new NyisoPalFormatException(input, e.problem(), e);
    } catch (IOException e) {
      throw new NyisoPalFormatException(input, "unreadable: " + e, e);
    }
  }
}
