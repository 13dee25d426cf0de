package io.nowcast.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git commit of the checkout the job runs from, for the {@code git_commit} tag. */
public final class GitCommit {
  private GitCommit() {}

  /** {@code git rev-parse HEAD} in {@code home}, or "unknown" (e.g. on a cluster without a checkout). */
  public static String of(Path home) {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(home.toFile())
          .redirectErrorStream(true).start();
      if (!git.waitFor(10, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return "unknown";
      }
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
