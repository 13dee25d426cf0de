package io.nowcast.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FeatureTableWriter}: month directories, every row back, dictionaries only off the doubles. */
class FeatureTableWriterTest {
  private static final Set<Encoding> DICTIONARY = Set.of(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);

  @Test
  void writesEveryRowByMonthWithDictionariesOnlyForNonDoubleColumns(@TempDir Path dir) throws IOException {
    StructType schema = new StructType()
        .add(FeatureTable.REGION, DataTypes.StringType)
        .add(FeatureTable.ISSUE_TS, DataTypes.TimestampType)
        .add(FeatureTable.IS_MISSING, DataTypes.IntegerType)
        .add(FeatureTable.LOAD_NOW, DataTypes.DoubleType)
        .add(FeatureTable.MONTH, DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    long start = Timestamp.valueOf("2024-01-31 00:00:00").getTime();
    for (int i = 0; i < 2_000; i++) {
      // Two regions, across a month boundary; a few repeated values so a dictionary would pay if tried.
      String region = i % 2 == 0 ? "A" : "B";
      Timestamp ts = new Timestamp(start + (i / 2) * 300_000L);
      String month = ts.toString().substring(0, 7);
      rows.add(RowFactory.create(region, ts, i % 7 == 0 ? 1 : 0, 1000.0 + (i % 50) * 0.5, month));
    }
    Dataset<Row> features = Frames.spark().createDataFrame(rows, schema);
    String path = dir.resolve("features").toString();

    FeatureTableWriter.write(features, path);

    Dataset<Row> back = Frames.spark().read().parquet(path);
    assertEquals(rows.size(), back.count());
    assertEquals(0, back.exceptAll(features.selectExpr(back.columns())).count(),
        "every row read back as written");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir.resolve("features"))) {
      files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertTrue(files.stream().anyMatch(p -> p.toString().contains("month=2024-01")), files.toString());
    assertTrue(files.stream().anyMatch(p -> p.toString().contains("month=2024-02")), files.toString());
    for (Path file : files) {
      Map<String, Set<Encoding>> encodings = encodings(file);
      assertFalse(hasDictionary(encodings.get(FeatureTable.LOAD_NOW)), file + ": " + encodings);
      assertTrue(hasDictionary(encodings.get(FeatureTable.REGION)), file + ": " + encodings);
      assertTrue(hasDictionary(encodings.get(FeatureTable.IS_MISSING)), file + ": " + encodings);
    }
  }

  private static boolean hasDictionary(Set<Encoding> encodings) {
    return encodings.stream().anyMatch(DICTIONARY::contains);
  }

  private static Map<String, Set<Encoding>> encodings(Path file) throws IOException {
    Map<String, Set<Encoding>> byColumn = new HashMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      for (var block : reader.getFooter().getBlocks()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          byColumn.computeIfAbsent(column.getPath().toDotString(), k -> new HashSet<>())
              .addAll(column.getEncodings());
        }
      }
    }
    return byColumn;
  }
}
