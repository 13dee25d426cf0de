package io.nowcast.features.sql;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.features.FeatureBuilder;
import io.nowcast.features.FeatureTable;
import io.nowcast.features.Frames;
import io.nowcast.features.spec.FeatureGroup;
import io.nowcast.features.spec.FeatureSpec;
import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.region.RegionMap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL of {@code --explain-sql}, run with spark.sql on raw load (grid view, then the select), gives
 * exactly the rows FeatureBuilder gives for the load, lag, delta, rolling and target columns.
 */
class FeatureSqlTest {
  private static final String RAW_VIEW = "raw_load_for_sql_test";
  private static final RegionMap REGIONS = RegionMap.synthetic(2);
  private static Dataset<Row> rawLoad;

  @BeforeAll
  static void data() {
    SparkSession spark = Frames.spark();
    // Two regions, nine days of 5-minute load (so 1-week windows and deltas have values): a daily
    // shape plus hash noise, with absent rows and explicit nulls. Built from expressions, no UDF.
    rawLoad =
        spark.range(0, 9 * 288)
            .crossJoin(spark.createDataFrame(
                List.of(org.apache.spark.sql.RowFactory.create("SYN-1", 1000.0),
                    org.apache.spark.sql.RowFactory.create("SYN-2", 300.0)),
                new org.apache.spark.sql.types.StructType()
                    .add(RawLoadTable.REGION, DataTypes.StringType)
                    .add("base", DataTypes.DoubleType)))
            .select(
                col(RawLoadTable.REGION),
                expr("timestamp_seconds(1678233600 + id * 300)").as(RawLoadTable.TS),
                expr("base * (1 + 0.2 * sin(id * 2 * pi() / 288)) + pmod(xxhash64(region, id), 1000) / 50.0")
                    .as(RawLoadTable.LOAD_MW))
            .where(not(pmod(xxhash64(col(RawLoadTable.REGION), col(RawLoadTable.TS)), lit(37)).equalTo(0)))
            .withColumn(
                RawLoadTable.LOAD_MW,
                when(pmod(xxhash64(col(RawLoadTable.TS)), lit(43)).equalTo(0), lit(null).cast(DataTypes.DoubleType))
                    .otherwise(col(RawLoadTable.LOAD_MW)))
            .cache();
    rawLoad.createOrReplaceTempView(RAW_VIEW);
  }

  private static void assertSameRows(FeatureSpec spec) {
    SparkSession spark = Frames.spark();
    // Exactly the text `nowcast features --explain-sql` prints: two statements.
    String[] statements = new FeatureBuilder(spec, REGIONS).explainSql(RAW_VIEW).split(";\n");
    assertEquals(2, java.util.Arrays.stream(statements).filter(t -> !t.isBlank()).count());
    assertTrue(statements[0].startsWith("CREATE OR REPLACE TEMP VIEW " + FeatureSql.GRID_VIEW));
    spark.sql(statements[0]);
    String select = statements[1].strip();
    assertEquals(FeatureSql.select(spec), select);
    Dataset<Row> fromSql = spark.sql(select);
    // The SQL has no calendar or weather columns: build without them (their plan only adds cost).
    EnumSet<FeatureGroup> load =
        EnumSet.of(FeatureGroup.LOAD_LAGS, FeatureGroup.LOAD_DELTAS, FeatureGroup.ROLLING_STATS,
            FeatureGroup.ROLLING_EXTREMA);
    load.retainAll(spec.groups());
    Dataset<Row> built = new FeatureBuilder(spec.withGroups(load), REGIONS).build(rawLoad, Optional.empty());
    List<String> columns = List.of(fromSql.columns());
    assertTrue(List.of(built.columns()).containsAll(columns), "SQL columns are feature columns: " + columns);
    List<Row> expected =
        built.select(columns.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
            .orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS)
            .collectAsList();
    List<Row> actual = fromSql.orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS).collectAsList();
    assertEquals(expected.size(), actual.size());
    int[] nonNull = new int[columns.size()];
    for (int i = 0; i < expected.size(); i++) {
      Frames.assertSameValues(expected.get(i), actual.get(i), "row " + i);
      for (int c = 0; c < columns.size(); c++) {
        nonNull[c] += expected.get(i).isNullAt(c) ? 0 : 1;
      }
    }
    for (int c = 0; c < columns.size(); c++) {
      assertTrue(nonNull[c] > 100, columns.get(c) + " non-null in " + nonNull[c] + " rows");
    }
    assertFalse(select.toLowerCase(java.util.Locale.ROOT).contains("udf"));
  }

  @Test
  void theDefaultSpecsSqlGivesTheSameRowsAsFeatureBuilder() {
    FeatureSpec spec = FeatureSpec.defaults();
    assertSameRows(spec);
    List<String> columns = List.of(Frames.spark().sql(FeatureSql.select(spec)).columns());
    List<String> expected = new ArrayList<>(List.of(FeatureTable.REGION, FeatureTable.ISSUE_TS,
        FeatureTable.IS_MISSING, FeatureTable.LOAD_NOW));
    spec.lagMinutes().forEach(k -> expected.add(FeatureTable.lag(k)));
    spec.deltaMinutes().forEach(k -> expected.add(FeatureTable.delta(k)));
    spec.windowMinutes().forEach(w -> expected.addAll(List.of(FeatureTable.rollingMean(w), FeatureTable.rollingStd(w))));
    spec.windowMinutes().forEach(w -> expected.addAll(List.of(FeatureTable.rollingMin(w), FeatureTable.rollingMax(w))));
    expected.addAll(FeatureTable.targets(spec.horizons()));
    assertEquals(expected, columns);
  }

  @Test
  void groupsThatAreOffAreLeftOutOfTheSql() {
    FeatureSpec spec =
        new FeatureSpec(5, List.of(5, 60), List.of(15, 60), List.of(15, 30), List.of(5), List.of(60),
            EnumSet.of(FeatureGroup.LOAD_LAGS, FeatureGroup.ROLLING_EXTREMA));
    assertSameRows(spec);
    String select = FeatureSql.select(spec);
    assertFalse(select.contains(FeatureTable.rollingMean(15)));
    assertFalse(select.contains(FeatureTable.delta(5)));
    assertTrue(select.contains(FeatureTable.rollingMax(60)));
  }
}
