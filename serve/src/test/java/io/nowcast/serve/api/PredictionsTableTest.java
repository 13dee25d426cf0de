package io.nowcast.serve.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predictions table read without Spark: Spark's INT96 timestamps, partitions, latest issue. */
class PredictionsTableTest {
  // As Spark 3.5 writes the DESIGN §4 predictions table by default (INT96 timestamps); target_ts
  // as INT64 micros to cover the other timestamp encoding.
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message spark_schema {"
          + " optional binary region (UTF8); optional int96 issue_ts; optional int32 horizon_min;"
          + " optional int64 target_ts (TIMESTAMP(MICROS,true)); optional binary model (UTF8);"
          + " optional binary model_version (UTF8); optional double p10; optional double p50;"
          + " optional double p90; }");

  @TempDir Path table;

  @Test
  void answersTheRowsOfTheLatestIssueTimeSortedByHorizon() throws Exception {
    Instant earlier = Instant.parse("2026-11-27T03:00:00Z");
    Instant latest = Instant.parse("2026-11-27T03:05:00Z");
    write(table.resolve("part-00000.parquet"), List.of(
        row("N.Y.C.", earlier, 15, 100), row("N.Y.C.", latest, 30, 230), row("N.Y.C.", latest, 15, 215),
        row("WEST", Instant.parse("2026-11-27T04:00:00Z"), 15, 999)));
    Files.createDirectories(table.resolve("month=2026-11"));
    write(table.resolve("month=2026-11/part-00001.parquet"), List.of(row("N.Y.C.", latest, 60, 260)));
    Files.createDirectories(table.resolve("_temporary"));
    Files.writeString(table.resolve("_temporary/junk.parquet"), "not parquet");

    ArrayNode rows = new PredictionsTable(table).latest("N.Y.C.").orElseThrow();
    assertEquals(3, rows.size(), rows.toString());
    assertEquals(List.of(15, 30, 60), List.of(
        rows.get(0).path("horizon_min").asInt(), rows.get(1).path("horizon_min").asInt(),
        rows.get(2).path("horizon_min").asInt()));
    JsonNode first = rows.get(0);
    assertEquals(latest.toString(), first.path("issue_ts").asText());
    assertEquals(latest.plus(Duration.ofMinutes(15)).toString(), first.path("target_ts").asText());
    assertEquals(215.0, first.path("p50").asDouble());
    assertEquals(205.0, first.path("p10").asDouble());
    assertEquals("xgboost", first.path("model").asText());
    assertEquals("2026-11", rows.get(2).path("month").asText(), "partition values become columns");
    assertTrue(new PredictionsTable(table).latest("LONGIL").isEmpty());
    assertTrue(new PredictionsTable(table.resolve("absent")).latest("N.Y.C.").isEmpty());
  }

  @Test
  void theLatestRouteServesTheTable() throws Exception {
    Instant issue = Instant.parse("2026-11-27T03:05:00Z");
    write(table.resolve("part-00000.parquet"), List.of(row("HUD VL", issue, 15, 300), row("HUD VL", issue, 30, 310)));
    ApiConfig config = new ApiConfig("127.0.0.1", 0, 10, 1024, java.util.Set.of("HUD VL", "N.Y.C."),
        java.util.Optional.of(table));
    io.nowcast.serve.model.ModelSlot slot = new io.nowcast.serve.model.ModelSlot();
    try (ApiServer server = new ApiServer(config, slot, java.util.Optional.empty(),
        java.util.Optional.empty(), "m").start()) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + "/v1/nowcast/";
      java.net.http.HttpResponse<String> found = http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "HUD%20VL/latest")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, found.statusCode(), found.body());
      JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(found.body());
      assertEquals("HUD VL", answer.path("region").asText());
      assertEquals(issue.toString(), answer.path("issue_ts").asText());
      assertEquals(310.0, answer.path("rows").get(1).path("p50").asDouble());
      java.net.http.HttpResponse<String> none = http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "N.Y.C./latest")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(404, none.statusCode());
      assertTrue(none.body().contains("no predictions for this region yet"), none.body());

      // A real fault (a corrupt file in the table): 500 with an error id, never a stack trace.
      Files.writeString(table.resolve("part-00009.parquet"), "this is not parquet");
      java.net.http.HttpResponse<String> broken = http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "HUD%20VL/latest")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(500, broken.statusCode(), broken.body());
      JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(broken.body());
      assertEquals("internal error", error.path("error").asText());
      assertEquals(36, error.path("detail").path("error_id").asText().length());
      assertTrue(!broken.body().contains("Exception") && !broken.body().contains("at org."), broken.body());
    }
  }

  private record Row(String region, Instant issue, int horizon, double p50) {}

  private static Row row(String region, Instant issue, int horizon, double p50) {
    return new Row(region, issue, horizon, p50);
  }

  private static void write(Path file, List<Row> rows) throws Exception {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withType(SCHEMA).withConf(new Configuration(false)).build()) {
      for (Row row : rows) {
        Instant target = row.issue().plus(Duration.ofMinutes(row.horizon()));
        Group group = groups.newGroup()
            .append("region", row.region())
            .append("issue_ts", int96(row.issue()))
            .append("horizon_min", row.horizon())
            .append("target_ts", target.getEpochSecond() * 1_000_000L + target.getNano() / 1000)
            .append("model", "xgboost")
            .append("model_version", "3")
            .append("p10", row.p50() - 10)
            .append("p50", row.p50())
            .append("p90", row.p50() + 10);
        writer.write(group);
      }
    }
  }

  /** Spark's INT96: nanoseconds of the day, then the Julian day, little-endian. */
  private static Binary int96(Instant instant) {
    long epochDay = Math.floorDiv(instant.getEpochSecond(), 86_400L);
    long nanosOfDay = Math.floorMod(instant.getEpochSecond(), 86_400L) * 1_000_000_000L + instant.getNano();
    ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(nanosOfDay).putInt((int) (epochDay + 2_440_588L));
    return Binary.fromConstantByteArray(buffer.array());
  }
}
