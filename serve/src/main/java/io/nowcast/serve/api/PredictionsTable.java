package io.nowcast.serve.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the predictions table (DESIGN §4: {@code region, issue_ts, horizon_min, target_ts, model,
 * model_version, p10, p50, p90}; Parquet as Spark writes it) without Spark, with parquet-hadoop's row
 * reader on a local directory. {@code nowcast predict} writes the batch nowcast of the latest issue
 * time there; the API answers a region's rows of its latest {@code issue_ts}. Hive-style partition
 * directories ({@code region=N.Y.C.}) are read as columns. Timestamps may be INT96 (Spark's default)
 * or INT64 micros/millis.
 */
final class PredictionsTable {
  static final String REGION = "region";
  static final String ISSUE_TS = "issue_ts";
  static final String HORIZON_MIN = "horizon_min";
  static final String TARGET_TS = "target_ts";

  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final Path root;
  private final Configuration conf;

  PredictionsTable(Path root) {
    this.root = root;
    this.conf = new Configuration(false);
  }

  Path root() {
    return root;
  }

  /** The rows of {@code region} at its latest issue time, sorted by horizon; empty when none. */
  Optional<ArrayNode> latest(String region) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path file : dataFiles()) {
      Map<String, String> partitions = partitionValues(file);
      if (partitions.containsKey(REGION) && !partitions.get(REGION).equals(region)) {
        continue;
      }
      read(file, partitions, region, rows);
    }
    Optional<Instant> latest =
        rows.stream().map(r -> (Instant) r.get(ISSUE_TS)).filter(t -> t != null)
            .max(Comparator.naturalOrder());
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    rows.stream()
        .filter(r -> latest.get().equals(r.get(ISSUE_TS)))
        .sorted(Comparator.comparingLong(r -> horizonOf(r.get(HORIZON_MIN))))
        .forEach(r -> {
          ObjectNode node = out.addObject();
          r.forEach((key, value) -> put(node, key, value));
        });
    return Optional.of(out);
  }

  private static long horizonOf(Object value) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return value == null ? 0 : Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private List<Path> dataFiles() {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          // Spark's _SUCCESS, _temporary and .crc files are not data.
          .filter(p -> !hasHiddenPart(root.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the predictions table at " + root, e);
    }
  }

  private static boolean hasHiddenPart(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> partitionValues(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    Path parent = root.relativize(file).getParent();
    if (parent != null) {
      for (Path part : parent) {
        String name = part.toString();
        int eq = name.indexOf('=');
        if (eq > 0) {
          values.put(name.substring(0, eq),
              java.net.URLDecoder.decode(name.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private void read(
      Path file, Map<String, String> partitions, String region, List<Map<String, Object>> rows) {
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(conf)
            .build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < group.getType().getFieldCount(); i++) {
          Type field = group.getType().getType(i);
          row.put(field.getName(),
              group.getFieldRepetitionCount(i) == 0 ? null : value(group, i, field.asPrimitiveType()));
        }
        partitions.forEach(row::putIfAbsent);
        if (region.equals(row.get(REGION))) {
          rows.add(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Object value(Group group, int i, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case INT96:
        ByteBuffer bytes = group.getInt96(i, 0).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long julianDay = Integer.toUnsignedLong(bytes.getInt());
        long epochNanos = (julianDay - JULIAN_EPOCH_DAY) * NANOS_PER_DAY + nanosOfDay;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L));
      case INT64:
        long raw = group.getLong(i, 0);
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
          return switch (ts.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(raw);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                Math.floorMod(raw, 1_000_000L) * 1000);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                Math.floorMod(raw, 1_000_000_000L));
          };
        }
        return raw;
      case INT32:
        return group.getInteger(i, 0);
      case DOUBLE:
        return group.getDouble(i, 0);
      case FLOAT:
        return (double) group.getFloat(i, 0);
      case BOOLEAN:
        return group.getBoolean(i, 0);
      default:
        return group.getString(i, 0);
    }
  }

  private static void put(ObjectNode node, String key, Object value) {
    if (value == null) {
      node.putNull(key);
    } else if (value instanceof Instant instant) {
      node.put(key, instant.toString());
    } else if (value instanceof Double d) {
      node.put(key, d);
    } else if (value instanceof Long l) {
      node.put(key, l);
    } else if (value instanceof Integer n) {
      node.put(key, n);
    } else if (value instanceof Boolean b) {
      node.put(key, b);
    } else {
      String text = value.toString();
      // Partition values arrive as text; numbers among them (horizon_min=15) stay numbers.
      if (key.equals(HORIZON_MIN) && text.matches("\\d+")) {
        node.put(key, Integer.parseInt(text));
      } else {
        node.put(key, text);
      }
    }
  }
}
