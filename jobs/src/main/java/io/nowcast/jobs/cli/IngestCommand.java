package io.nowcast.jobs.cli;

import io.nowcast.jobs.IngestJob;
import io.nowcast.jobs.config.NowcastConfig;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest public load data into the raw tables (this version: NYISO pal monthly archives).")
final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ArchiveOptions archives;

  @Option(names = "--from-source", defaultValue = "nyiso-archive",
      description = "Where from: nyiso-archive (default: ${DEFAULT-VALUE}).")
  String fromSource;

  @Override
  public Integer call() {
    if (!fromSource.equals("nyiso-archive")) {
      throw new IllegalArgumentException("--from-source must be nyiso-archive, got '" + fromSource + "'");
    }
    if (archives.archiveDir == null) {
      throw new IllegalArgumentException("--archives DIR is required (e.g. ../shared/data/nyiso/pal)");
    }
    NowcastConfig config = common.resolve().withSource("nyiso-pal");
    SparkSession spark = io.nowcast.jobs.SparkSessions.open("nowcast-ingest");
    try {
      IngestJob.Result result =
          IngestJob.nyisoArchives(spark, config, archives.archiveDir, archives.from, archives.to);
      System.out.println(result.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
