package dev.hookbus;

import dev.hookbus.config.AppConfig;
import dev.hookbus.state.SessionStateVerticle;
import dev.hookbus.store.Disk;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Composition root of a single node: deploys the state actor, then the bridge and ingest ({@link Edges}), and
 * completes when every server listens. It stops in the reverse order: ingest stops taking events first, the
 * bridge closes its sockets (clients reconnect), and the state actor flushes the journal last.
 */
public class MainVerticle extends VerticleBase {
  private final AppConfig config;
  private final String watchedConfigPath;
  private final Disk disk;
  private String stateDeployment;
  private Edges edges;

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
    return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast(), config.store(), disk))
        .compose(id -> {
          stateDeployment = id;
          return Edges.deploy(vertx, config, watchedConfigPath, null);
        })
        .onSuccess(deployed -> edges = deployed);
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
    Future<Void> edgesDown = edges == null ? Future.succeededFuture() : edges.shutdown();
    edges = null;
    String state = stateDeployment;
    stateDeployment = null;
    return edgesDown.compose(v -> state == null ? Future.<Void>succeededFuture() : vertx.undeploy(state)
        .recover(alreadyGone -> Future.succeededFuture()));
  }

  public int ingestPort() {
    return edges.ingestPort();
  }

  public int bridgePort() {
    return edges.bridgePort();
  }

  public String dashboardUrl() {
    return edges.dashboardUrl();
  }
}
