package io.nowcast.jobs;

import io.nowcast.ingest.region.RegionMap;
import io.nowcast.ingest.store.RawTableWriter;
import io.nowcast.ingest.synth.SyntheticGenerator;
import io.nowcast.ingest.synth.SyntheticSpec;
import io.nowcast.jobs.config.NowcastConfig;
import org.apache.spark.sql.SparkSession;

/** Writes deterministic synthetic load and weather into the raw tables. */
public final class SynthJob {
  private SynthJob() {}

  /** What the job wrote. */
  public record Result(SyntheticSpec spec, long loadRows, long weatherRows) {}

  public static Result run(SparkSession spark, NowcastConfig config) {
    SyntheticSpec spec = config.synthetic();
    RegionMap regions = RegionMap.synthetic(spec.regions());
    DataPaths paths = new DataPaths(config.dataRoot());
    RawTableWriter.writeLoad(SyntheticGenerator.load(spark, spec, regions), config.dataRoot());
    RawTableWriter.writeWeather(SyntheticGenerator.weather(spark, spec, regions), config.dataRoot());
    // Row counts follow from the spec (the grid is complete by construction); no extra scan needed.
    long loadRows = (long) spec.regions() * spec.days() * 288;
    long weatherRows = (long) spec.regions() * spec.days() * 24;
    org.slf4j.LoggerFactory.getLogger(SynthJob.class)
        .info("synthetic data written under {} and {}", paths.rawLoad(), paths.rawWeather());
    return new Result(spec, loadRows, weatherRows);
  }
}
