package io.nowcast.ingest.store;

/**
 * Joins a data root ({@code file:}, {@code s3a://} or a plain local path) with a table's relative path,
 * without assuming which file system it is.
 */
public final class TablePaths {
  private TablePaths() {}

  /** Returns {@code root/relative} with exactly one slash between them. */
  public static String resolve(String root, String relative) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("data root is empty; set --data-root or NOWCAST_DATA_ROOT");
    }
    String trimmedRoot = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    String trimmedRelative = relative.startsWith("/") ? relative.substring(1) : relative;
    return trimmedRoot + "/" + trimmedRelative;
  }
}
