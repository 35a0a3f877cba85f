package dev.hookbus;

import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigException;
import dev.hookbus.config.ConfigLoader;
import dev.hookbus.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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

/**
 * {@code java -jar hookbus.jar [-conf file] [-ports-file file]}: starts hookbus; on SIGTERM or Ctrl-C stops it
 * gracefully (ingest first, journal flushed last) within {@code shutdown.timeoutMs} and exits 0.
 * {@code -ports-file} gets {@code {"ingest":port,"bridge":port}} once both listen (useful with port 0).
 */
public final class Hookbus {
  private static final Logger LOG = LoggerFactory.getLogger(Hookbus.class);

  private Hookbus() {
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      LOG.error("usage: java -jar hookbus.jar [-conf <config.json>] [-ports-file <file>]");
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    AppConfig config;
    MainVerticle main;
    try {
      config = ConfigLoader.load(vertx, options.confPath(), System.getenv())
          .toCompletionStage().toCompletableFuture().join();
      main = new MainVerticle(config);
      vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().join();
      if (options.portsFile() != null) {
        writePorts(Path.of(options.portsFile()), main);
      }
    } catch (CompletionException | IOException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException) {
        LOG.error("bad configuration: {}", cause.getMessage());
      } else if (cause instanceof StoreException) {
        LOG.error("the journal cannot be used: {}", cause.getMessage());
      } else {
        LOG.error("hookbus did not start: {}", cause.toString());
      }
      closeQuietly(vertx, null, 10_000);
      System.exit(1);
      return;
    }
    long timeoutMs = config.shutdown().timeoutMs();
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        LOG.info("stopping hookbus (at most {} ms)", timeoutMs);
        closeQuietly(vertx, main, timeoutMs);
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
  }

  private static void writePorts(Path file, MainVerticle main) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("ingest", main.ingestPort()).put("bridge", main.bridgePort())
        .encode(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Undeploys hookbus in order (ingest, bridge, state + journal), then closes Vert.x, within the deadline. */
  private static void closeQuietly(Vertx vertx, MainVerticle main, long timeoutMs) {
    try {
      (main == null ? vertx.close() : main.shutdown().eventually(() -> vertx.close()))
          .toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("hookbus did not stop cleanly within {} ms: {}", timeoutMs, e.toString());
    }
  }

  record Options(String confPath, String portsFile) {
    static Options parse(String[] args) {
      String conf = null;
      String ports = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i].startsWith("--") ? args[i].substring(1) : args[i];
        int eq = arg.indexOf('=');
        String name = eq > 0 ? arg.substring(0, eq) : arg;
        if (!name.equals("-conf") && !name.equals("-ports-file")) {
          throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
        String value;
        if (eq > 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException(args[i] + " needs a file name");
        }
        if (name.equals("-conf")) {
          conf = value;
        } else {
          ports = value;
        }
      }
      return new Options(conf, ports);
    }
  }

  static String confPath(String[] args) {
    return Options.parse(args).confPath();
  }
}
