package dev.hookbus.cluster;

import dev.hookbus.config.AppConfig;
import dev.hookbus.node.Servers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Composition root of a cluster node, deployed on the clustered Vert.x: the election (and, on the leader, the
 * state actor) and the relay on the clustered bus; the SockJS bridge and ingest on the node-local Vert.x, so
 * per-browser registrations stay off the cluster and every request to the leader passes through the relay.
 */
public class ClusterMainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMainVerticle.class);
  private final AppConfig config;
  private final Vertx local;
  private final HazelcastClusterManager manager;
  private final Vertx actor;
  private final ClusterView view;
  private final String watchedConfigPath;
  private Servers servers;

  /** @param watchedConfigPath the config file to watch for live changes, or null for none */
  public ClusterMainVerticle(AppConfig config, String watchedConfigPath, Vertx local, Vertx actor,
                             HazelcastClusterManager manager) {
    this.actor = actor;
    this.config = config;
    this.watchedConfigPath = watchedConfigPath;
    this.local = local;
    this.manager = manager;
    this.view = new ClusterView(manager);
  }

  @Override
  public Future<?> start() {
    return vertx.deployVerticle(new ClusterBusRelay(local, actor, view,
            Math.max(config.bridge().replyTimeoutMs(), config.ingest().replyTimeoutMs())))
        .compose(id -> vertx.deployVerticle(new LeaderElection(config, manager.getHazelcastInstance(),
            manager.getNodeId(), view, actor)))
        .compose(id -> Servers.deploy(local, config, watchedConfigPath, view::describe))
        .onSuccess(deployed -> {
          servers = deployed;
          if (!config.notifications().webhooks().isEmpty()) {
            LOG.warn("notify.webhooks are not sent by cluster nodes yet (every node would send each one); run"
                + " hookbus on one node to use them");
          }
          LOG.info("node {} up: ingest on {}:{}, dashboard and SockJS bridge on {}:{}", manager.getNodeId(),
              config.ingest().host(), deployed.ingestPort(), config.bridge().host(), deployed.bridgePort());
        });
  }

  @Override
  public Future<?> stop() {
    return servers == null ? Future.succeededFuture() : servers.shutdown();
  }

  public int ingestPort() {
    return servers.ingestPort();
  }

  public int bridgePort() {
    return servers.bridgePort();
  }

  public ClusterView view() {
    return view;
  }
}
