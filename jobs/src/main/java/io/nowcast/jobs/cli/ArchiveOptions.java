package io.nowcast.jobs.cli;

import io.nowcast.jobs.IngestJob;
import io.nowcast.jobs.config.NowcastConfig;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where archives are and which days or months to take. */
final class ArchiveOptions {
  @Option(names = "--archives", paramLabel = "DIR",
      description = "Folder (local, file: or s3a://) of NYISO monthly archives YYYYMM01<feed>_csv.zip"
          + " (pal, palIntegrated or isolf, after --source).")
  String archiveDir;

  @Option(names = "--from", paramLabel = "DATE",
      description = "First day or month to ingest, YYYY-MM-DD or YYYY-MM (archives: default all).")
  String from;

  @Option(names = "--to", paramLabel = "DATE",
      description = "Last day or month to ingest, YYYY-MM-DD or YYYY-MM (archives: default all).")
  String to;

  DateRange range() {
    return DateRange.parse(from, to);
  }

  /** The ingest step for `run`, or null when no archives were given. */
  Supplier<String> ingestStep(SparkSession spark, NowcastConfig config) {
    if (archiveDir == null) {
      return null;
    }
    if (!config.source().equals("nyiso-pal")) {
      throw new IllegalArgumentException("--archives needs --source nyiso-pal (source is " + config.source() + ")");
    }
    DateRange range = range();
    return () -> IngestJob.nyisoArchives(spark, config, archiveDir, range.firstMonth(), range.lastMonth())
        .summary();
  }
}
