package io.nowcast.features;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nowcast.ingest.contract.RawLoadTable;
import io.nowcast.ingest.contract.RawWeatherTable;
import io.nowcast.ingest.nyiso.NyisoPalArchiveIngest;
import io.nowcast.ingest.weather.KlgaArchiveIngest;
import io.nowcast.testing.SharedData;
import io.nowcast.testing.SparkTestSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §6 on real data: the features of a small NYISO slice (3 zones, 2019-03-08 to 03-12 UTC, the
 * spring DST day inside, with LaGuardia weather) are the same bit for bit with local[1], local[2] and
 * local[4]. Each master runs in its own child JVM ({@link CoreCountRun}), one after the other, because a
 * JVM holds one SparkContext and this JVM's shared test session must stay up; shuffle partitions differ
 * too (1, 3, 8). Doubles are compared by their raw bits.
 */
class CoreCountInvarianceTest {
  private static final List<String> ZONES = List.of("N.Y.C.", "WEST", "CAPITL");
  private static final Instant FROM = Instant.parse("2019-03-08T00:00:00Z");
  private static final Instant TO = Instant.parse("2019-03-13T00:00:00Z");

  @TempDir Path dir;

  @Test
  void featuresAreIdenticalWithOneTwoAndFourCores() throws Exception {
    Path march = SharedData.require("nyiso/pal/20190301pal_csv.zip");
    Path klga = SharedData.require("weather/klga_hourly_wu.zip");
    SparkSession spark = SparkTestSession.get();
    String root = dir.resolve("data").toUri().toString();
    new NyisoPalArchiveIngest().run(spark, List.of(march.toUri().toString()), root);
    KlgaArchiveIngest.run(spark, oneMonth(klga, "KLGA_hourly_weather_2019_3.csv").toUri().toString(), root);

    Path load = dir.resolve("load");
    Path weather = dir.resolve("weather");
    spark.read().parquet(root + "/" + RawLoadTable.PATH)
        .where(col(RawLoadTable.REGION).isin(ZONES.toArray())
            .and(col(RawLoadTable.TS).geq(Timestamp.from(FROM))).and(col(RawLoadTable.TS).lt(Timestamp.from(TO))))
        .write().parquet(load.toString());
    spark.read().parquet(root + "/" + RawWeatherTable.PATH)
        .where(col(RawWeatherTable.TS).geq(Timestamp.from(FROM.minusSeconds(86_400)))
            .and(col(RawWeatherTable.TS).lt(Timestamp.from(TO))))
        .write().parquet(weather.toString());

    List<List<Row>> outputs = new ArrayList<>();
    int[][] runs = {{1, 1}, {2, 3}, {4, 8}};
    for (int[] run : runs) {
      Path out = dir.resolve("features-" + run[0]);
      fork("local[" + run[0] + "]", load, weather, out, run[1]);
      assertEquals(String.valueOf(run[0]), Files.readString(Path.of(out + ".cores.txt")).trim());
      outputs.add(spark.read().parquet(out.toString())
          .orderBy(FeatureTable.REGION, FeatureTable.ISSUE_TS).collectAsList());
    }
    List<Row> one = outputs.get(0);
    assertEquals(3 * 5 * 288, one.size(), "3 zones x 5 UTC days x 288 instants");
    String[] names = one.get(0).schema().fieldNames();
    for (int k = 1; k < outputs.size(); k++) {
      List<Row> other = outputs.get(k);
      assertEquals(one.size(), other.size());
      for (int i = 0; i < one.size(); i++) {
        for (int c = 0; c < names.length; c++) {
          Object a = one.get(i).get(c);
          Object b = other.get(i).get(c);
          boolean same = a instanceof Double x && b instanceof Double y
              ? Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y)
              : java.util.Objects.equals(a, b);
          if (!same) {
            throw new AssertionError("local[" + runs[k][0] + "] differs from local[1] at row " + i + " column "
                + names[c] + ": " + b + " vs " + a);
          }
        }
      }
    }
    // The comparison covered real values: weather and week-long statistics are there.
    int temp = List.of(names).indexOf(io.nowcast.features.weather.WeatherAligner.TEMP_C);
    assertTrue(temp >= 0 && one.stream().filter(r -> !r.isNullAt(temp)).count() > 4000, "weather aligned");
    int day = List.of(names).indexOf(FeatureTable.rollingMean(1440));
    assertTrue(one.stream().filter(r -> !r.isNullAt(day)).count() > 3000, "1-day means");
  }

  /** A zip holding one entry of {@code archive}, so the weather ingest reads one month, not 15 years. */
  private Path oneMonth(Path archive, String entry) throws IOException {
    Path zip = dir.resolve("klga-one-month.zip");
    try (ZipFile in = new ZipFile(archive.toFile());
        OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      ZipEntry source = in.getEntry(entry);
      out.putNextEntry(new ZipEntry(entry));
      try (InputStream data = in.getInputStream(source)) {
        data.transferTo(out);
      }
      out.closeEntry();
    }
    return zip;
  }

  private static void fork(String master, Path load, Path weather, Path out, int shufflePartitions)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // The same --add-opens Spark needs on Java 17 as this JVM got from surefire's argLine.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CoreCountRun.class.getName(), master,
        load.toString(), weather.toString(), out.toString(), String.valueOf(shufflePartitions)));
    Path log = out.getParent().resolve("fork-" + master.replaceAll("\\W", "") + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(master + " run timed out; log " + log);
    }
    assertEquals(0, process.exitValue(),
        () -> master + " run failed:\n" + readTail(log));
  }

  private static String readTail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
