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

  @Option(names = "--source", required = true, paramLabel = "SOURCE",
      description = "Where from: nyiso-archive (NYISO pal monthly zip archives in --archives DIR).")
  String ingestSource;

  @Override
  public Integer call() {
    if (!ingestSource.equals("nyiso-archive")) {
      throw new IllegalArgumentException("--source must be nyiso-archive, got '" + ingestSource + "'");
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
