package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Picks the line of a child process's log that best explains its failure, for one-line messages. */
final class LogTail {
  private static final int TAIL_BYTES = 64 * 1024;
  private static final int MAX_LINE = 300;

  private LogTail() {}

  /**
   * The last line mentioning an error (Python's final "XxxError: ..." line of a traceback, pip's
   * "ERROR: ..."), else the last non-blank line, else "(no output)".
   */
  static String lastError(Path log) {
    return lastError(log, 0);
  }

  /** As {@link #lastError(Path)}, looking only at what was written after byte {@code from}. */
  static String lastError(Path log, long from) {
    String lastError = null;
    String lastLine = null;
    for (String line : tail(log, from)) {
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      lastLine = s;
      if (s.matches("(?i).*(error|exception|in use|not found|no such).*")) {
        lastError = s;
      }
    }
    String pick = lastError != null ? lastError : lastLine;
    if (pick == null) {
      return "(no output)";
    }
    return pick.length() <= MAX_LINE ? pick : pick.substring(0, MAX_LINE) + "...";
  }

  /** True when a line written after byte {@code from} (within the last 64 KB) contains {@code needle}. */
  static boolean contains(Path log, long from, String needle) {
    return tail(log, from).stream().anyMatch(line -> line.contains(needle));
  }

  /** Current size of the log, to look later only at what a new process wrote. */
  static long size(Path log) {
    return log.toFile().length();
  }

  private static List<String> tail(Path log, long from) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(from, Math.max(0, file.length() - TAIL_BYTES));
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
