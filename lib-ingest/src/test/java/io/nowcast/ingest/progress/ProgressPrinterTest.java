package io.nowcast.ingest.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  @Test
  void printsAtMostOneLinePerIntervalPlusTheLastOne() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long[] now = {0};
    ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), "nyiso",
        Duration.ofSeconds(2), () -> now[0]);
    // 1,000 updates over 10 simulated seconds (one per 10 ms), the last one completing the run.
    for (int i = 1; i <= 1000; i++) {
      now[0] = i * 10_000_000L;
      printer.update(i, 1000, "days", i * 290L, i / 500);
    }
    printer.update(1000, 1000, "days", 290_000, 2); // repeated final update: no second final line
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    // First update, then one per 2 s over 10 s (4 more), then the final line.
    assertEquals(6, lines.size(), lines.toString());
    assertEquals(lines.size(), printer.linesPrinted());
    assertEquals("nyiso: days 1/1000, rows 290, retries 0", lines.get(0));
    assertEquals("nyiso: days 1000/1000, rows 290,000, retries 2", lines.get(lines.size() - 1));
    assertTrue(lines.stream().allMatch(l -> l.startsWith("nyiso: days ")));
  }

  @Test
  void unchangedProgressIsRepeatedOnlyAsARareHeartbeat() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long[] now = {0};
    ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), "isolf",
        Duration.ofSeconds(1), () -> now[0]);
    // Polled every second for 100 s while Spark parses the first archive: nothing changes.
    for (int s = 0; s <= 100; s++) {
      now[0] = s * 1_000_000_000L;
      printer.update(0, 60, "archives", 0, 0);
    }
    // First line, then one heartbeat per 15 s: at 15, 30, ..., 90 s.
    assertEquals(1 + 100 / ProgressPrinter.HEARTBEAT_INTERVALS, printer.linesPrinted());
  }
}
