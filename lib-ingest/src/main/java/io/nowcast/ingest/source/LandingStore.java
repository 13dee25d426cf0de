package io.nowcast.ingest.source;

import io.nowcast.ingest.store.TablePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The landing area of a source: fetched bytes kept as published under {@code <dataRoot>/landing/<source>/},
 * on any Hadoop file system ({@code file:}, {@code s3a://}). A landed file is the unit of resumption: a file
 * exists only once it is whole (written to a hidden temporary name, then renamed), so a run killed half-way
 * leaves either nothing or a complete file, and the next run fetches only what is missing.
 */
public final class LandingStore {
  private final Path root;
  private final FileSystem fs;

  /**
   * @param dataRoot the data root
   * @param source the source tag; the landing folder is {@code landing/<source>}
   * @param hadoopConf the session's Hadoop configuration (credentials come from its provider chain)
   */
  public LandingStore(String dataRoot, String source, Configuration hadoopConf) {
    this.root = new Path(TablePaths.resolve(dataRoot, "landing/" + source));
    try {
      this.fs = root.getFileSystem(hadoopConf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + root, e);
    }
  }

  /** The full path (as a string Spark can read) of {@code relative} under the landing folder. */
  public String path(String relative) {
    return new Path(root, relative).toString();
  }

  /** When {@code relative} was landed (epoch millis), or empty if it has not been. */
  public Optional<Long> landedAt(String relative) {
    try {
      FileStatus status = fs.getFileStatus(new Path(root, relative));
      return Optional.of(status.getModificationTime());
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path(relative), e);
    }
  }

  /** Names of the files landed directly in folder {@code relativeDir} (hidden temporaries excluded). */
  public java.util.List<String> list(String relativeDir) {
    Path dir = relativeDir.isEmpty() ? root : new Path(root, relativeDir);
    try {
      if (!fs.exists(dir)) {
        return java.util.List.of();
      }
      java.util.List<String> names = new java.util.ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (s.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
          names.add(name);
        }
      }
      java.util.Collections.sort(names);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The bytes of a landed file. */
  public byte[] read(String relative) {
    try (java.io.InputStream in = fs.open(new Path(root, relative))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(relative), e);
    }
  }

  /** Removes a landed file (absent is fine). */
  public void delete(String relative) {
    try {
      fs.delete(new Path(root, relative), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path(relative), e);
    }
  }

  /**
   * Writes {@code bytes} to {@code relative}, replacing an older copy, so that readers see the old file or
   * the new one, never a part: the bytes go to a hidden temporary name in the same folder first (hidden so
   * Spark's file listing skips it if a run dies), then are renamed into place.
   */
  public void writeAtomically(String relative, byte[] bytes) {
    Path target = new Path(root, relative);
    Path temp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(temp, true)) {
        out.write(bytes);
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("rename of " + temp + " to " + target + " returned false");
      }
    } catch (IOException e) {
      try {
        fs.delete(temp, false);
      } catch (IOException ignored) {
        // best effort: the temporary is hidden and harmless
      }
      throw new UncheckedIOException("cannot land " + target, e);
    }
  }
}
