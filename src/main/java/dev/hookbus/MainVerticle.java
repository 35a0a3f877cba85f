package dev.hookbus;

import dev.hookbus.bridge.BridgeStats;
import dev.hookbus.bridge.BroadcastBridgeVerticle;
import dev.hookbus.bridge.DashboardInfo;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigWatcher;
import dev.hookbus.ingest.HttpIngestVerticle;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.state.SessionStateVerticle;
import dev.hookbus.web.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Composition root: deploys the state actor, then the bridge, then ingest (which needs the bridge's URL),
 * and completes when every server listens. Undeploying it undeploys them all.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final AppConfig config;
  private final String watchedConfigPath;
  private ConfigWatcher watcher;
  private int ingestPort;
  private int bridgePort;
  private int randomPortGroups;

  public MainVerticle(AppConfig config) {
    this(config, null);
  }

  /** @param watchedConfigPath the config file to watch for live changes, or null for none */
  public MainVerticle(AppConfig config, String watchedConfigPath) {
    this.config = config;
    this.watchedConfigPath = watchedConfigPath;
  }

  @Override
  public Future<?> start() {
    BridgeStats stats = new BridgeStats();
    HookbusMetrics metrics = HookbusMetrics.create();
    metrics.bind(stats);
    warnIfExposed();
    AtomicBoolean tickerTaken = new AtomicBoolean();
    DashboardInfo dashboard = new DashboardInfo();
    return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast()))
        .compose(id -> deployOnOnePort(config.bridge().instances(), config.bridge().port(),
            port -> new BroadcastBridgeVerticle(config.bridge().withPort(port), config.metrics(), stats,
                tickerTaken.compareAndSet(false, true), dashboard)))
        .compose(port -> {
          bridgePort = port;
          LOG.info("dashboard and SockJS bridge listening on {}:{} — open {}", config.bridge().host(), port,
              dashboardUrl());
          return deployOnOnePort(config.ingest().instances(), config.ingest().port(),
              p -> new HttpIngestVerticle(config.ingest().withPort(p), dashboardUrl(), metrics));
        })
        .onSuccess(port -> {
          ingestPort = port;
          if (watchedConfigPath != null) {
            watcher = new ConfigWatcher(vertx, System.getenv());
            watcher.watch(watchedConfigPath);
          }
          dashboard.ingestListening(port);
          LOG.info("ingest listening on {}:{} — POST http://{}:{}/api/events ({} instances)",
              config.ingest().host(), port, displayHost(config.ingest().host()), port, config.ingest().instances());
        });
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) {
      watcher.close();
    }
    return Future.succeededFuture();
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
   * Deploys {@code instances} copies of a server verticle on one port; Vert.x round-robins connections between
   * them. Port 0 becomes a negative port, Vert.x's way of sharing one random port among instances (vert.x#3998);
   * each server gets its own negative number so ingest and bridge do not end up on the same random port.
   */
  private <V extends VerticleBase & Listening> Future<Integer> deployOnOnePort(int instances, int port,
                                                                              IntFunction<V> factory) {
    int bindPort = port == 0 ? -(++randomPortGroups) : port;
    AtomicReference<V> anyInstance = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
      V verticle = factory.apply(bindPort);
      anyInstance.set(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> anyInstance.get().actualPort());
  }

  private void warnIfExposed() {
    if (!isLoopback(config.ingest().host()) && config.ingest().tokens().isEmpty()) {
      LOG.warn("ingest binds {} with no ingest.tokens: anyone who reaches it can post events", config.ingest().host());
    }
    if (!isLoopback(config.bridge().host()) && config.bridge().tokens().isEmpty()) {
      LOG.warn("bridge binds {} with no bridge.tokens: anyone who reaches it can watch every session",
          config.bridge().host());
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}
