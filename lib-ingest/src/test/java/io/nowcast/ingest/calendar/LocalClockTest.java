package io.nowcast.ingest.calendar;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LocalClockTest {
  private static final Map<String, String> ZONES =
      Map.of("N.Y.C.", "America/New_York", "WEST", "America/New_York", "SCE", "America/Los_Angeles");
  /** Both DST changes of 2023 in New York and Los Angeles, one hour before and after each. */
  private static final List<String> INSTANTS = List.of(
      "2023-03-12T06:30:00Z", "2023-03-12T07:30:00Z", "2023-03-12T09:30:00Z", "2023-03-12T10:30:00Z",
      "2023-11-05T05:30:00Z", "2023-11-05T06:30:00Z", "2023-11-05T08:30:00Z", "2023-11-05T09:30:00Z",
      "2023-07-01T23:55:00Z");

  private static Dataset<Row> frame() {
    List<Row> rows = new ArrayList<>();
    for (String region : List.of("N.Y.C.", "WEST", "SCE", "UNLISTED")) {
      for (String instant : INSTANTS) {
        rows.add(RowFactory.create(region, Timestamp.from(Instant.parse(instant))));
      }
    }
    StructType schema = new StructType().add("region", DataTypes.StringType).add("ts", DataTypes.TimestampType);
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  @Test
  void givesTheWallClockOfEachRegionsZoneAcrossDst() {
    Dataset<Row> local = frame().select(col("region"), col("ts"),
        LocalClock.localSeconds(col("ts"), col("region"), ZONES, "UTC").as("local_s"));
    List<Row> rows = local.collectAsList();
    assertEquals(4 * INSTANTS.size(), rows.size());
    for (Row row : rows) {
      String region = row.getString(0);
      Instant instant = row.getTimestamp(1).toInstant();
      ZoneId zone = ZoneId.of(ZONES.getOrDefault(region, "UTC"));
      long expected = LocalDateTime.ofInstant(instant, zone).toEpochSecond(ZoneOffset.UTC);
      assertEquals(expected, row.getLong(2), region + " at " + instant);
    }
  }

  @Test
  void passesEveryZoneToSparkAsALiteral() {
    // A zone column would make Spark parse the zone id on every row (the cost this class avoids).
    String plan = frame()
        .select(LocalClock.localSeconds(col("ts"), col("region"), ZONES, "UTC").as("local_s"))
        .queryExecution().analyzed().toString();
    Matcher zoneArguments = Pattern.compile("from_utc_timestamp\\([^,]+, ([^)]+)\\)").matcher(plan);
    Set<String> literals = Set.of("America/New_York", "America/Los_Angeles", "UTC");
    int found = 0;
    while (zoneArguments.find()) {
      found++;
      assertTrue(literals.contains(zoneArguments.group(1).trim()), "zone argument " + zoneArguments.group(1));
    }
    // One branch per distinct zone: New York (two regions), Los Angeles, and the default.
    assertEquals(3, found, plan);
    assertFalse(plan.contains("element_at"), plan);
  }
}
