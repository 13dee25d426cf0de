package io.nowcast.models.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Uploads files into one run's artifact root through the tracking server's artifact proxy
 * ({@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}), because the Java client's own upload
 * shells out to a Python MLflow installation.
 */
final class ArtifactUploader {
  private final MlflowHttp http;
  private final ProxiedArtifactRoot root;

  ArtifactUploader(MlflowHttp http, ProxiedArtifactRoot root) {
    this.http = http;
    this.root = root;
  }

  /** Uploads {@code localFile} to {@code artifactDir/<file name>}. */
  void uploadFile(Path localFile, String artifactDir) {
    if (!Files.isRegularFile(localFile)) {
      throw new IllegalArgumentException("not a file, cannot log it as an artifact: " + localFile);
    }
    String dir = ProxiedArtifactRoot.cleanArtifactPath(artifactDir);
    String name = localFile.getFileName().toString();
    http.putFile(root.url(dir.isEmpty() ? name : dir + "/" + name), localFile);
  }

  /** Uploads every regular file below {@code localDir} to {@code artifactDir/<relative path>}. */
  void uploadDirectory(Path localDir, String artifactDir) {
    if (!Files.isDirectory(localDir)) {
      throw new IllegalArgumentException("not a directory, cannot log it as artifacts: " + localDir);
    }
    String dir = ProxiedArtifactRoot.cleanArtifactPath(artifactDir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(localDir)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + localDir, e);
    }
    for (Path file : files) {
      // Artifact paths use '/' whatever the local separator is.
      String relative = localDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      http.putFile(root.url(dir.isEmpty() ? relative : dir + "/" + relative), file);
    }
  }
}
