package io.nowcast.jobs.cli;

import picocli.CommandLine.Option;

/** Which raw load the modelling stages work on (the config key {@code source}). */
final class ModelSourceOption {
  @Option(names = "--source", paramLabel = "SOURCE",
      description = "Raw load to model: synthetic or nyiso-pal (default: source of the config, synthetic).")
  String source;
}
