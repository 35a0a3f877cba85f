package dev.hookbus.cluster;

import dev.hookbus.bus.BusCodecs;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ClusterConfig;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hookbus cluster node: a clustered Vert.x (Hazelcast cluster manager, event bus on {@code cluster.host}) for
 * the election, state and relay, plus the node-local Vert.x given by the caller for the SockJS bridge and ingest.
 */
public final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final Vertx clustered;
  private final Vertx local;
  private final HazelcastClusterManager manager;
  private final ClusterMainVerticle main;
  private final Promise<Void> evicted;

  private ClusterNode(Vertx clustered, Vertx local, HazelcastClusterManager manager, ClusterMainVerticle main,
                      Promise<Void> evicted) {
    this.clustered = clustered;
    this.local = local;
    this.manager = manager;
    this.main = main;
    this.evicted = evicted;
  }

  /** Joins the cluster and deploys hookbus; {@code local} hosts the bridge and is closed by {@link #close()}. */
  public static Future<ClusterNode> start(Vertx local, AppConfig config) {
    return start(local, config, null);
  }

  /** @param watchedConfigPath the config file to watch for live changes, or null for none */
  public static Future<ClusterNode> start(Vertx local, AppConfig config, String watchedConfigPath) {
    ClusterConfig cluster = config.cluster();
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(cluster));
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(cluster.host()).setPort(cluster.port()));
    long started = System.currentTimeMillis();
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().compose(clustered -> {
      LOG.info("joined cluster {} as {} in {} ms ({} members)", cluster.clusterName(), manager.getNodeId(),
          System.currentTimeMillis() - started, manager.getNodes().size());
      Promise<Void> evicted = Promise.promise();
      manager.getHazelcastInstance().getLifecycleService().addLifecycleListener(event -> {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          evicted.tryComplete();
        }
      });
      BusCodecs.register(clustered.eventBus());
      BusCodecs.register(local.eventBus());
      // The state actor's own Vert.x: its consumers never touch the cluster's subscription map.
      Vertx actor = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4));
      BusCodecs.register(actor.eventBus());
      ClusterMainVerticle main = new ClusterMainVerticle(config, watchedConfigPath, local, actor, manager);
      // The election closes the actor Vert.x when it stops.
      return clustered.deployVerticle(main)
          .map(id -> new ClusterNode(clustered, local, manager, main, evicted))
          .recover(e -> clustered.close().eventually(actor::close).transform(closed -> Future.failedFuture(e)));
    });
  }

  public int ingestPort() {
    return main.ingestPort();
  }

  public int bridgePort() {
    return main.bridgePort();
  }

  public String nodeId() {
    return manager.getNodeId();
  }

  public ClusterView view() {
    return main.view();
  }

  public HazelcastClusterManager clusterManager() {
    return manager;
  }

  public Vertx clusteredVertx() {
    return clustered;
  }

  /**
   * Completes when this node was dropped from the cluster (paused or cut off longer than
   * {@code cluster.maxNoHeartbeatSeconds}) and Hazelcast merged it back under a new member id. Such a node cannot
   * serve again: its CP membership and its event-bus registrations belong to the member id it had, so it has to
   * be restarted (it then comes back as a fresh member and catches up from its journal).
   */
  public Future<Void> evicted() {
    return evicted.future();
  }

  /**
   * Leaves the cluster (the lock goes to another node), then closes the local Vert.x. The last CP members of a
   * cluster that stops at once can wait for each other to leave; after {@link #CLOSE_WAIT_MS} Hazelcast is
   * terminated instead.
   */
  public Future<Void> close() {
    io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
    clustered.close().onComplete(done -> closed.tryComplete());
    local.setTimer(CLOSE_WAIT_MS, id -> {
      if (!closed.future().isComplete()) {
        LOG.warn("leaving the cluster took over {} ms; terminating Hazelcast", CLOSE_WAIT_MS);
        manager.getHazelcastInstance().getLifecycleService().terminate();
        closed.tryComplete();
      }
    });
    return closed.future().eventually(local::close);
  }

  private static final long CLOSE_WAIT_MS = 10_000;
}
