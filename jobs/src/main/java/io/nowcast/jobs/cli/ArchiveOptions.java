package io.nowcast.jobs.cli;

import io.nowcast.jobs.IngestJob;
import io.nowcast.jobs.config.NowcastConfig;
import java.time.YearMonth;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where NYISO monthly archives are and which months to take. */
final class ArchiveOptions {
  @Option(names = "--archives", paramLabel = "DIR",
      description = "Folder (local, file: or s3a://) of NYISO monthly archives YYYYMM01pal_csv.zip.")
  String archiveDir;

  @Option(names = "--from", paramLabel = "YYYY-MM", description = "First month to ingest (default: all).")
  YearMonth from;

  @Option(names = "--to", paramLabel = "YYYY-MM", description = "Last month to ingest (default: all).")
  YearMonth to;

  /** The ingest step for `run`, or null when no archives were given. */
  Supplier<String> ingestStep(SparkSession spark, NowcastConfig config) {
    if (archiveDir == null) {
      return null;
    }
    if (!config.source().equals("nyiso-pal")) {
      throw new IllegalArgumentException("--archives needs --source nyiso-pal (source is " + config.source() + ")");
    }
    return () -> IngestJob.nyisoArchives(spark, config, archiveDir, from, to).summary();
  }
}
