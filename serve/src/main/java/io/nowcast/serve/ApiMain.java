package io.nowcast.serve;

import io.nowcast.ingest.region.Region;
import io.nowcast.ingest.region.RegionConfigLoader;
import io.nowcast.ingest.region.RegionMap;
import io.nowcast.models.tracking.ModelRegistryClient;
import io.nowcast.serve.api.ApiConfig;
import io.nowcast.serve.api.ApiServer;
import io.nowcast.serve.model.BundlePredictor;
import io.nowcast.serve.model.LoadedModel;
import io.nowcast.serve.model.ModelSlot;
import io.nowcast.serve.registry.AliasWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the nowcast HTTP API: {@code scripts/api} / {@code make api}. The model is either a local
 * bundle ({@code --model-dir}) or the version behind a registry alias ({@code --mlflow-uri}, default
 * {@code MLFLOW_TRACKING_URI}), which is polled and hot-swapped when the alias moves.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Serve nowcasts over HTTP (default http://127.0.0.1:8080; OpenAPI at /openapi.json).")
public final class ApiMain implements Callable<Integer> {
  @Option(names = "--model-dir", description = "A local model bundle directory (nowcast-bundle.json).")
  Path modelDir;

  @Option(names = "--mlflow-uri",
      description = "MLflow tracking server to load the model from (default: $MLFLOW_TRACKING_URI).")
  String mlflowUri;

  @Option(names = "--model-name", defaultValue = "power-nowcast-xgb",
      description = "Registered model name (default: ${DEFAULT-VALUE}).")
  String modelName;

  @Option(names = "--alias", defaultValue = "production",
      description = "Registry alias to serve (default: ${DEFAULT-VALUE}).")
  String alias;

  @Option(names = "--poll-seconds", defaultValue = "30",
      description = "How often to check whether the alias moved (default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--cache-dir", defaultValue = "work/serve-models",
      description = "Where downloaded versions are kept (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--host", defaultValue = ApiConfig.DEFAULT_HOST, description = "Bind address.")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free port).")
  int port;

  @Option(names = "--max-rows", defaultValue = "1000", description = "Most rows per request.")
  int maxRows;

  @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Largest request body.")
  long maxBodyBytes;

  @Option(names = "--regions", split = ",",
      description = "Region config files naming the known regions (default: conf/regions/*.yaml).")
  List<Path> regionFiles = new ArrayList<>();

  @Option(names = "--synthetic-regions", defaultValue = "3",
      description = "Also accept the synthetic regions SYN-1..SYN-n (default: ${DEFAULT-VALUE}).")
  int syntheticRegions;

  @Option(names = "--predictions",
      description = "The predictions table directory (written by `nowcast predict`), for /v1/nowcast/{region}/latest.")
  Path predictions;

  @Option(names = "--predict-threads", defaultValue = "1",
      description = "XGBoost threads per prediction (default: ${DEFAULT-VALUE}; requests already run in parallel).")
  int predictThreads;

  @Option(names = "--server-threads",
      description = "Most HTTP server threads (default: 4 per core, at least 8).")
  Integer serverThreads;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Running running = start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "api-shutdown"));
    stopped.await();
    return 0;
  }

  /** The server and what it holds, closed together. */
  public record Running(ApiServer server, ModelSlot slot, Optional<AliasWatcher> watcher)
      implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      watcher.ifPresent(AliasWatcher::close);
      slot.close();
    }
  }

  /** Validates the options, loads the model and starts listening. */
  public Running start() {
    String uri = mlflowUri != null ? mlflowUri : System.getenv("MLFLOW_TRACKING_URI");
    if (modelDir == null && (uri == null || uri.isBlank())) {
      throw userError("give --model-dir DIR or --mlflow-uri URI (or set MLFLOW_TRACKING_URI)");
    }
    ApiConfig config;
    try {
      config = new ApiConfig(host, port, maxRows, maxBodyBytes, knownRegions(),
          Optional.ofNullable(predictions), Runtime.getRuntime().availableProcessors(),
          serverThreads != null ? serverThreads : ApiConfig.defaultServerThreads());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw userError(e.getMessage());
    }
    ModelSlot slot = new ModelSlot();
    Optional<ModelRegistryClient> registry = Optional.empty();
    Optional<AliasWatcher> watcher = Optional.empty();
    if (modelDir != null) {
      BundlePredictor predictor;
      try {
        predictor = BundlePredictor.load(modelDir, predictThreads);
      } catch (RuntimeException e) {
        throw userError(e.getMessage());
      }
      slot.swap(new LoadedModel(predictor, modelDir.toAbsolutePath().normalize().getFileName().toString(),
          "local", modelDir.toAbsolutePath().normalize().toString()));
    } else {
      ModelRegistryClient client;
      try {
        client = new ModelRegistryClient(uri);
      } catch (IllegalArgumentException e) {
        throw userError(e.getMessage());
      }
      registry = Optional.of(client);
      AliasWatcher aliasWatcher = new AliasWatcher(client, modelName, alias, cacheDir, slot, predictThreads);
      // The first check runs now; when it fails the server still starts (not ready) and keeps trying.
      aliasWatcher.start(Duration.ofSeconds(Math.max(1, pollSeconds)));
      watcher = Optional.of(aliasWatcher);
    }
    ApiServer server = new ApiServer(config, slot, registry, watcher, modelName).start();
    return new Running(server, slot, watcher);
  }

  private Set<String> knownRegions() {
    Set<String> names = new LinkedHashSet<>();
    List<Path> files = regionFiles.isEmpty() ? defaultRegionFiles() : regionFiles;
    for (Path file : files) {
      RegionMap map = RegionConfigLoader.load(file);
      map.all().stream().map(Region::name).forEach(names::add);
    }
    RegionMap.synthetic(syntheticRegions).all().stream().map(Region::name).forEach(names::add);
    return names;
  }

  private static List<Path> defaultRegionFiles() {
    String home = System.getProperty("nowcast.home", "");
    Path dir = Path.of(home.isBlank() ? "." : home).resolve("conf").resolve("regions");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private CommandLine.ParameterException userError(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
