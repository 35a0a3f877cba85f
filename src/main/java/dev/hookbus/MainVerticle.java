package dev.hookbus;

import dev.hookbus.bridge.BridgeStats;
import dev.hookbus.bridge.BroadcastBridgeVerticle;
import dev.hookbus.config.AppConfig;
import dev.hookbus.ingest.HttpIngestVerticle;
import dev.hookbus.state.SessionStateVerticle;
import dev.hookbus.store.Disk;
import dev.hookbus.web.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Composition root: deploys the state actor, then the bridge, then ingest (which needs the bridge's URL),
 * and completes when every server listens. Undeploying it undeploys them in the reverse order: ingest stops taking
 * events first, the bridge closes its sockets (clients reconnect), and the state actor flushes the journal last.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final AppConfig config;
  private final Disk disk;
  private final List<String> deployments = new ArrayList<>();
  private int ingestPort;
  private int bridgePort;

  public MainVerticle(AppConfig config) {
    this(config, Disk.REAL);
  }

  /** With the journal writing through {@code disk} (tests make it fail). */
  public MainVerticle(AppConfig config, Disk disk) {
    this.config = config;
    this.disk = disk;
  }

  @Override
  public Future<?> start() {
    BridgeStats stats = new BridgeStats();
    AtomicBoolean tickerTaken = new AtomicBoolean();
    return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.store(), disk))
        .compose(id -> {
          deployments.add(id);
          return deployOnOnePort(config.bridge().instances(), config.bridge().port(),
              port -> new BroadcastBridgeVerticle(config.bridge().withPort(port), config.metrics(), stats,
                  tickerTaken.compareAndSet(false, true)));
        })
        .compose(port -> {
          bridgePort = port;
          LOG.info("dashboard and SockJS bridge listening on {}:{} — open {}", config.bridge().host(), port,
              dashboardUrl());
          return deployOnOnePort(config.ingest().instances(), config.ingest().port(),
              p -> new HttpIngestVerticle(config.ingest().withPort(p), dashboardUrl(), ingestGraceMs()));
        })
        .onSuccess(port -> {
          ingestPort = port;
          LOG.info("ingest listening on {}:{} — POST http://{}:{}/api/events ({} instances)",
              config.ingest().host(), port, displayHost(config.ingest().host()), port, config.ingest().instances());
        });
  }

  @Override
  public Future<?> stop() {
    return shutdown();
  }

  /**
   * Undeploys ingest, then the bridge, then the state actor, each after the previous one finished: no new event
   * is accepted once this starts, and the journal is closed only after the last accepted one was written.
   */
  public Future<Void> shutdown() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).otherwise(e -> {
        LOG.debug("{} was already undeployed: {}", id, e.toString());
        return null;
      }));
    }
    deployments.clear();
    return chain;
  }

  public int ingestPort() {
    return ingestPort;
  }

  public int bridgePort() {
    return bridgePort;
  }

  public String dashboardUrl() {
    return "http://" + displayHost(config.bridge().host()) + ":" + bridgePort + "/";
  }

  /**
   * Deploys {@code instances} copies of a server verticle on one port. The first one binds (port 0 picks a free
   * port); the others then share the port it got, so Vert.x round-robins connections between them.
   */
  private <V extends VerticleBase & Listening> Future<Integer> deployOnOnePort(int instances, int port,
                                                                              IntFunction<V> factory) {
    V first = factory.apply(port);
    return vertx.deployVerticle(first).compose(id -> {
      deployments.add(id);
      int actual = first.actualPort();
      if (instances == 1) {
        return Future.succeededFuture(actual);
      }
      return vertx.deployVerticle(() -> factory.apply(actual), new DeploymentOptions().setInstances(instances - 1))
          .map(more -> {
            deployments.add(more);
            return actual;
          });
    });
  }

  /** In-flight requests get half the shutdown deadline; the bridge and the journal need the rest. */
  private long ingestGraceMs() {
    return config.shutdown().timeoutMs() / 2;
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}
