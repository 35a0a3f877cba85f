package dev.hookbus;

import dev.hookbus.cli.Cli;
import dev.hookbus.cluster.ClusterNode;
import dev.hookbus.config.ConfigException;
import dev.hookbus.config.ConfigLoader;
import dev.hookbus.metrics.HookbusMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar hookbus.jar [-conf file] [-cluster]}: starts hookbus (as a cluster node with {@code -cluster} or
 * {@code cluster.enabled}) and stops it cleanly on Ctrl-C or SIGTERM.
 * {@code hooks …}, {@code statusline …} and {@code doctor} run the {@link Cli} instead.
 */
public final class Hookbus {
  private static final Logger LOG = LoggerFactory.getLogger(Hookbus.class);

  private Hookbus() {
  }

  public static void main(String[] args) {
    if (Cli.handles(args)) {
      System.exit(new Cli(System.out, System.err).run(args));
      return;
    }
    Args parsed;
    try {
      parsed = Args.parse(args);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      LOG.error("usage: java -jar hookbus.jar [-conf <config.json>] [-cluster]");
      System.exit(2);
      return;
    }
    // In a cluster this Vert.x stays node-local and hosts the bridge and ingest; the clustered one comes on top.
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(HookbusMetrics.REGISTRY_NAME)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    AtomicReference<ClusterNode> node = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping hookbus");
      if (node.get() != null) {
        closeQuietly(node.get().clusteredVertx());
      }
      closeQuietly(vertx);
    }, "hookbus-shutdown"));
    String watched = parsed.confPath() == null ? ConfigLoader.DEFAULT_PATH : parsed.confPath();
    try {
      ConfigLoader.load(vertx, parsed.confPath(), System.getenv())
          .compose(config -> parsed.cluster() || config.cluster().enabled()
              ? ClusterNode.start(vertx, config.clustered(), watched).onSuccess(node::set).mapEmpty()
              : vertx.deployVerticle(new MainVerticle(config, watched)))
          .toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException) {
        LOG.error("bad configuration: {}", cause.getMessage());
      } else {
        LOG.error("hookbus did not start: {}", cause.toString());
      }
      closeQuietly(vertx);
      System.exit(1);
    }
  }

  /** The command line: {@code -conf <file>} (default conf/config.json if present) and {@code -cluster}. */
  record Args(String confPath, boolean cluster) {
    static Args parse(String[] args) {
      String[] rest = Arrays.stream(args).filter(a -> !a.equals("-cluster") && !a.equals("--cluster"))
          .toArray(String[]::new);
      return new Args(Hookbus.confPath(rest), rest.length != args.length);
    }
  }

  static String confPath(String[] args) {
    String path = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-conf") || arg.equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a file name");
        }
        path = args[++i];
      } else if (arg.startsWith("--conf=") || arg.startsWith("-conf=")) {
        path = arg.substring(arg.indexOf('=') + 1);
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return path;
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("vert.x did not close cleanly: {}", e.toString());
    }
  }
}
