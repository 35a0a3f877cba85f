package dev.hookbus;

import dev.hookbus.bus.BusCodecs;
import dev.hookbus.bus.Fanout;
import dev.hookbus.config.AppConfig;
import dev.hookbus.node.Servers;
import dev.hookbus.notify.NotifyVerticle;
import dev.hookbus.state.JournalLog;
import dev.hookbus.state.SessionStateVerticle;
import dev.hookbus.state.StateLog;
import dev.hookbus.store.Disk;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Composition root of a single node: registers the bus codecs, deploys the state actor (keeping its transitions in
 * the journal, or nowhere with {@code store.enabled=false}), then the bridge and ingest ({@link Servers}) and the
 * notifier ({@link NotifyVerticle}), and completes when every server listens. It stops in the reverse order: the
 * notifier, then ingest stops taking events, the bridge closes its sockets (clients reconnect), and the state actor
 * flushes the journal last.
 */
public class MainVerticle extends VerticleBase {
  private final AppConfig config;
  private final String watchedConfigPath;
  private final Disk disk;
  private String stateDeployment;
  private String notifyDeployment;
  private Servers servers;

  public MainVerticle(AppConfig config) {
    this(config, null, Disk.REAL);
  }

  /** With the journal writing through {@code disk} (tests make it fail). */
  public MainVerticle(AppConfig config, Disk disk) {
    this(config, null, disk);
  }

  /** @param watchedConfigPath the config file to watch for live changes, or null for none */
  public MainVerticle(AppConfig config, String watchedConfigPath) {
    this(config, watchedConfigPath, Disk.REAL);
  }

  private MainVerticle(AppConfig config, String watchedConfigPath, Disk disk) {
    this.config = config;
    this.watchedConfigPath = watchedConfigPath;
    this.disk = disk;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    StateLog log = config.store().enabled() ? new JournalLog(config.store(), disk) : StateLog.none();
    return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast(), log, Fanout.DIRECT))
        .compose(id -> {
          stateDeployment = id;
          return Servers.deploy(vertx, config, watchedConfigPath, null);
        })
        .compose(deployed -> {
          servers = deployed;
          return vertx.deployVerticle(new NotifyVerticle(config.notifications(), deployed.dashboardUrl(),
              deployed.ingestUrl(), deployed.metrics().registry()));
        })
        .onSuccess(id -> notifyDeployment = id);
  }

  @Override
  public Future<?> stop() {
    return shutdown().onComplete(done -> BusCodecs.unregister(vertx.eventBus()));
  }

  /**
   * Undeploys the notifier, ingest, then the bridge, then the state actor, each after the previous one finished: no
   * new event is accepted once this starts, and the journal is closed only after the last accepted one was written.
   */
  public Future<Void> shutdown() {
    String notifier = notifyDeployment;
    notifyDeployment = null;
    Future<Void> notifierDown = notifier == null ? Future.succeededFuture()
        : vertx.undeploy(notifier).recover(alreadyGone -> Future.succeededFuture());
    Servers running = servers;
    servers = null;
    Future<Void> serversDown = notifierDown.compose(v -> running == null ? Future.succeededFuture()
        : running.shutdown());
    String state = stateDeployment;
    stateDeployment = null;
    return serversDown.compose(v -> state == null ? Future.<Void>succeededFuture() : vertx.undeploy(state)
        .recover(alreadyGone -> Future.succeededFuture()));
  }

  public int ingestPort() {
    return servers.ingestPort();
  }

  public int bridgePort() {
    return servers.bridgePort();
  }

  public String dashboardUrl() {
    return servers.dashboardUrl();
  }
}
