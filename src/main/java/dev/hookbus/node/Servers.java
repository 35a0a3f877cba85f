package dev.hookbus.node;

import dev.hookbus.bridge.BridgeStats;
import dev.hookbus.bridge.BroadcastBridgeVerticle;
import dev.hookbus.bridge.DashboardInfo;
import dev.hookbus.config.AppConfig;
import dev.hookbus.ingest.HttpIngestVerticle;
import dev.hookbus.metrics.HookbusMetrics;
import dev.hookbus.security.HostAllowlist;
import dev.hookbus.web.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The two servers of a node, the same on a single node and on each cluster node: the bridge, then ingest (which
 * needs the bridge's URL), sharing one {@link BridgeStats}, one {@link HookbusMetrics} and the dashboard's info,
 * plus the watcher that reloads the config file. The codecs ({@code BusCodecs}) must be registered on the Vert.x
 * they are deployed on.
 */
public final class Servers {
  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);
  /** Port 0 becomes these negative ports: Vert.x's way of sharing one random port among instances (vert.x#3998). */
  private static final int RANDOM_BRIDGE_PORT = -1;
  private static final int RANDOM_INGEST_PORT = -2;

  private final AppConfig config;
  private final Vertx vertx;
  private HookbusMetrics metrics;
  private ConfigWatcher watcher;
  private String bridgeDeployment;
  private String ingestDeployment;
  private int bridgePort;
  private int ingestPort;

  private Servers(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * @param watchedConfigPath the config file to watch for live changes, or null for none
   * @param clusterInfo       what {@code /health} says about the cluster; null when not clustered
   */
  public static Future<Servers> deploy(Vertx vertx, AppConfig config, String watchedConfigPath,
                                     Supplier<JsonObject> clusterInfo) {
    Servers servers = new Servers(vertx, config);
    BridgeStats stats = new BridgeStats();
    HookbusMetrics metrics = HookbusMetrics.create();
    servers.metrics = metrics;
    stats.registerMeters(metrics.registry());
    DashboardInfo dashboard = new DashboardInfo();
    AtomicBoolean tickerTaken = new AtomicBoolean();
    servers.warnIfExposed();
    return deployOnOnePort(vertx, config.bridge().instances(), config.bridge().port(), RANDOM_BRIDGE_PORT,
        port -> new BroadcastBridgeVerticle(config.bridge().withPort(port), config.metrics(), stats,
            tickerTaken.compareAndSet(false, true), dashboard).withCluster(clusterInfo))
        .recover(failure -> listenFailure("bridge", config.bridge().host(), config.bridge().port(), failure))
        .compose(bridge -> {
          servers.bridgeDeployment = bridge.id();
          int port = bridge.port();
          servers.bridgePort = port;
          LOG.info("dashboard and SockJS bridge listening on {}:{} — open {}", config.bridge().host(), port,
              servers.dashboardUrl());
          return deployOnOnePort(vertx, config.ingest().instances(), config.ingest().port(), RANDOM_INGEST_PORT,
              p -> new HttpIngestVerticle(config.ingest().withPort(p), servers.dashboardUrl(), metrics,
                  config.shutdown().timeoutMs() / 2).withCluster(clusterInfo)
                  .withDashboard(port, config.bridge().allowedHosts())
                  .withApprovals(config.approvals(), config.bridge().tokens()))
              .recover(failure -> listenFailure("ingest", config.ingest().host(), config.ingest().port(), failure));
        })
        .map(ingest -> {
          servers.ingestDeployment = ingest.id();
          int port = ingest.port();
          servers.ingestPort = port;
          dashboard.ingestListening(port);
          if (watchedConfigPath != null) {
            servers.watcher = new ConfigWatcher(vertx, System.getenv());
            servers.watcher.watch(watchedConfigPath);
          }
          LOG.info("ingest listening on {}:{} — POST {}{}:{}/api/events (instances: {})",
              config.ingest().host(), port, scheme(config.ingest().tls() != null), displayHost(config.ingest().host()),
              port, config.ingest().instances());
          return servers;
        });
  }

  /**
   * Ingest first (it stops taking events and lets in-flight ones finish within half of
   * {@code shutdown.timeoutMs}), then the bridge (its sockets close, so clients reconnect elsewhere or later).
   */
  public Future<Void> shutdown() {
    if (watcher != null) {
      watcher.close();
    }
    return undeploy(ingestDeployment).compose(v -> undeploy(bridgeDeployment));
  }

  private Future<Void> undeploy(String deployment) {
    return deployment == null ? Future.succeededFuture()
        : vertx.undeploy(deployment).recover(alreadyGone -> Future.succeededFuture());
  }

  public int ingestPort() {
    return ingestPort;
  }

  public int bridgePort() {
    return bridgePort;
  }

  /** The meters both servers report in ingest's {@code /metrics}; other verticles of the node may add theirs. */
  public HookbusMetrics metrics() {
    return metrics;
  }

  /** The ingest port's local base URL, {@code http://127.0.0.1:3847} (https with {@code ingest.tls}). */
  public String ingestUrl() {
    return scheme(config.ingest().tls() != null) + displayHost(config.ingest().host()) + ":" + ingestPort;
  }

  public String dashboardUrl() {
    return scheme(config.bridge().tls() != null) + displayHost(config.bridge().host()) + ":" + bridgePort + "/";
  }

  private record Deployed(String id, int port) {
  }

  /** Deploys {@code instances} copies of a server verticle on one port; Vert.x round-robins connections. */
  private static <V extends VerticleBase & Listening> Future<Deployed> deployOnOnePort(
      Vertx vertx, int instances, int port, int randomPort, IntFunction<V> factory) {
    int bindPort = port == 0 ? randomPort : port;
    AtomicReference<V> anyInstance = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
      V verticle = factory.apply(bindPort);
      anyInstance.set(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> new Deployed(id, anyInstance.get().actualPort()));
  }

  private static <T> Future<T> listenFailure(String server, String host, int port, Throwable failure) {
    CannotListen cannotListen = CannotListen.of(server, host, port, failure);
    return Future.failedFuture(cannotListen == null ? failure : cannotListen);
  }

  private void warnIfExposed() {
    warnIfAnyHost("ingest", config.ingest().host(), config.ingest().allowedHosts());
    warnIfAnyHost("bridge", config.bridge().host(), config.bridge().allowedHosts());
    warnIfOpen("ingest", config.ingest().host(), config.ingest().tls() != null, !config.ingest().tokens().isEmpty(),
        "post events");
    warnIfOpen("bridge", config.bridge().host(), config.bridge().tls() != null, !config.bridge().tokens().isEmpty(),
        "watch every session");
  }

  /** One line per port bound beyond loopback that lacks tokens, TLS or both, saying what that exposes. */
  private static void warnIfOpen(String section, String host, boolean tls, boolean tokens, String anyoneCan) {
    if (isLoopback(host) || tls && tokens) {
      return;
    }
    if (!tls && !tokens) {
      LOG.warn("{} binds {} with neither {}.tls nor {}.tokens: anyone who reaches it can {}, and everything crosses"
          + " the network in plain text; set both (README: From your phone)", section, host, section, section,
          anyoneCan);
    } else if (!tokens) {
      LOG.warn("{} binds {} with no {}.tokens: anyone who reaches it can {}", section, host, section, anyoneCan);
    } else {
      LOG.warn("{} binds {} with no {}.tls: its tokens and everything else cross the network in plain text; set"
          + " {}.tls {certPath, keyPath}", section, host, section, section);
    }
  }

  private static void warnIfAnyHost(String section, String host, List<String> allowedHosts) {
    if (HostAllowlist.forBinding(host, allowedHosts).acceptsAny()) {
      LOG.warn("{} binds {} with no {}.allowedHosts: it answers any Host name, so a web page can reach it by DNS"
          + " rebinding; list the names it is reached by", section, host, section);
    }
  }

  private static boolean isLoopback(String host) {
    return HostAllowlist.isLoopback(host);
  }

  private static String scheme(boolean tls) {
    return tls ? "https://" : "http://";
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}
