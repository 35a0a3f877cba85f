package dev.hookbus;

import dev.hookbus.cli.Cli;
import dev.hookbus.cli.ServeOptions;
import dev.hookbus.cluster.ClusterNode;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigException;
import dev.hookbus.config.ConfigLoader;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.node.CannotListen;
import dev.hookbus.store.StoreException;
import dev.hookbus.tls.TlsUnusable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code java -jar hookbus.jar [serve] [-conf file] [-cluster] [-ports-file file]}: starts hookbus (as a cluster node
 * with {@code -cluster} or {@code cluster.enabled}); on SIGTERM or Ctrl-C stops it gracefully (ingest first, journal
 * flushed last) within {@code shutdown.timeoutMs} and exits 0. {@code -ports-file} gets
 * {@code {"ingest":port,"bridge":port}} once both listen (useful with port 0).
 * The {@link Cli} parses the command line; {@code hooks …}, {@code statusline …}, {@code doctor} and the help run there.
 */
public final class Hookbus {
  private static final Logger LOG = LoggerFactory.getLogger(Hookbus.class);

  private Hookbus() {
  }

  /**
   * A started hookbus: its ports, and how to stop it before the local Vert.x closes (the verticles in order on a
   * single node; the clustered Vert.x on a cluster node, which hands leadership over).
   */
  private record Running(int ingestPort, int bridgePort, Supplier<Future<Void>> stop, Future<Void> evicted) {
  }

  /** The exit code of a cluster node that was dropped from the cluster and must be restarted (EX_TEMPFAIL). */
  public static final int EXIT_EVICTED = 75;

  public static void main(String[] args) {
    int code = new Cli(System.out, System.err, System.getenv(), Hookbus::serve).run(args);
    if (code != Cli.SERVING) {
      System.exit(code);
    }
  }

  /**
   * The node-local Vert.x's options: Vert.x's own meters in hookbus's Prometheus registry, but not the event bus's:
   * they count hookbus's internal hops (several per event, a meter lookup each, about 5 % of the CPU per event at
   * full rate); the actor's queue and the fan-out backlog have meters of their own.
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setJvmMetricsEnabled(true)
        .setRegistryName(HookbusMetrics.REGISTRY_NAME)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  private static int serve(ServeOptions options) {
    // In a cluster this Vert.x stays node-local and hosts the bridge and ingest; the clustered one comes on top.
    Vertx vertx = Vertx.vertx(vertxOptions());
    AppConfig config;
    Running running;
    try {
      config = ConfigLoader.load(vertx, options.confPath(), System.getenv()).toCompletionStage().toCompletableFuture()
          .join();
      running = start(vertx, config, options).toCompletionStage().toCompletableFuture().join();
      if (options.portsFile() != null) {
        writePorts(Path.of(options.portsFile()), running);
      }
    } catch (CompletionException | IOException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException) {
        LOG.error("bad configuration: {}", cause.getMessage());
      } else if (cause instanceof CannotListen) {
        LOG.error("{}", cause.getMessage());
      } else if (cause instanceof TlsUnusable) {
        LOG.error("TLS cannot be used: {}", cause.getMessage());
      } else if (cause instanceof StoreException) {
        LOG.error("the journal cannot be used: {}", cause.getMessage());
      } else {
        LOG.error("hookbus did not start: {}", cause.toString());
      }
      stopWithin(vertx::close, 10_000);
      return 1;
    }
    long timeoutMs = config.shutdown().timeoutMs();
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        LOG.info("stopping hookbus (at most {} ms)", timeoutMs);
        // Two steps, each awaited here: a future composed across the close would complete on a closed event loop.
        stopWithin(running.stop(), timeoutMs);
        stopWithin(vertx::close, timeoutMs);
        LOG.info("hookbus stopped");
      }
    };
    // A plain shutdown hook would exit 143 on SIGTERM; handling the signals lets a clean stop exit 0.
    for (String signal : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(signal), s -> {
          stop.run();
          System.exit(0);
        });
      } catch (IllegalArgumentException e) {
        LOG.debug("SIG{} is not available here ({}); the shutdown hook covers it", signal, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "hookbus-shutdown"));
    running.evicted().onSuccess(v -> new Thread(() -> {
      LOG.error("this node was out of the cluster longer than cluster.maxNoHeartbeatSeconds and was merged back "
          + "under a new member id; it cannot serve like that, so it stops with exit code {} to be restarted",
          EXIT_EVICTED);
      stop.run();
      System.exit(EXIT_EVICTED);
    }, "hookbus-evicted").start());
    return Cli.SERVING;
  }

  private static Future<Running> start(Vertx vertx, AppConfig config, ServeOptions options) {
    String watched = options.confPath() == null ? ConfigLoader.DEFAULT_PATH : options.confPath();
    if (options.cluster() || config.cluster().enabled()) {
      return ClusterNode.start(vertx, config.clustered(), watched)
          .map(node -> new Running(node.ingestPort(), node.bridgePort(), () -> node.clusteredVertx().close(),
              node.evicted()));
    }
    MainVerticle main = new MainVerticle(config, watched);
    return vertx.deployVerticle(main).map(id -> new Running(main.ingestPort(), main.bridgePort(), main::shutdown,
        Promise.<Void>promise().future()));
  }

  private static void writePorts(Path file, Running running) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("ingest", running.ingestPort()).put("bridge", running.bridgePort())
        .encode(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void stopWithin(Supplier<Future<Void>> stop, long timeoutMs) {
    try {
      stop.get().toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("hookbus did not stop cleanly within {} ms: {}", timeoutMs, e.toString());
    }
  }
}
