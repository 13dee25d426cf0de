package io.nowcast.jobs.cli;

import io.nowcast.jobs.config.ConfigLoader;
import io.nowcast.jobs.config.NowcastConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every sub-command takes: where the config and data are, and key=value overrides. */
public final class CommonOptions {
  @Option(names = "--env", defaultValue = "${NOWCAST_ENV:-local}",
      description = "Environment: reads conf/<env>.yaml (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(names = "--config", description = "Config file to read instead of conf/<env>.yaml.")
  Path configFile;

  @Option(names = {"--data-root", "--out"},
      description = "Root of all tables: a local path, file:/... or s3a://bucket/prefix "
          + "(default: data_root of the config, else $NOWCAST_DATA_ROOT, else work/data).")
  String dataRoot;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override any config key, e.g. --set xgboost.num_round=200 (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The project directory (set by scripts/nowcast), for conf/ and relative paths. */
  public static Path home() {
    String home = System.getProperty("nowcast.home");
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  /** Resolves the configuration with these options on top. */
  public NowcastConfig resolve() {
    return resolve(null);
  }

  /** Resolves the configuration with these options and, when not null, the modelled source on top. */
  public NowcastConfig resolve(String source) {
    Map<String, Object> cli = new LinkedHashMap<>(overrides);
    if (source != null) {
      cli.put("source", source);
    }
    if (dataRoot != null) {
      cli.put("data_root", dataRoot);
    }
    return ConfigLoader.load(env, home(), configFile, System.getenv(), cli);
  }
}
