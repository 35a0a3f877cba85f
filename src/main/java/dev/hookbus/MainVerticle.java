package dev.hookbus;

import dev.hookbus.config.AppConfig;
import dev.hookbus.state.SessionStateVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Composition root of a single node: deploys the state actor, then the bridge and ingest ({@link Edges}), and
 * completes when every server listens. Undeploying it undeploys them all.
 */
public class MainVerticle extends VerticleBase {
  private final AppConfig config;
  private final String watchedConfigPath;
  private Edges edges;

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
    return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast()))
        .compose(id -> Edges.deploy(vertx, config, watchedConfigPath, null))
        .onSuccess(deployed -> edges = deployed);
  }

  @Override
  public Future<?> stop() {
    if (edges != null) {
      edges.close();
    }
    return Future.succeededFuture();
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
