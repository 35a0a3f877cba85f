package dev.hookbus.cluster;

import dev.hookbus.bridge.BridgeStats;
import dev.hookbus.bridge.BroadcastBridgeVerticle;
import dev.hookbus.config.AppConfig;
import dev.hookbus.ingest.HttpIngestVerticle;
import dev.hookbus.web.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Composition root of a cluster node, deployed on the clustered Vert.x: the election (and, on the leader, the
 * state actor) and the relay on the clustered bus; the SockJS bridge and ingest on the node-local Vert.x, so
 * per-browser registrations stay off the cluster and every request to the leader passes through the relay.
 */
public class ClusterMainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMainVerticle.class);
  private final AppConfig config;
  private final Vertx local;
  private final ClusterManager manager;
  private final ClusterView view;
  private int ingestPort;
  private int bridgePort;

  public ClusterMainVerticle(AppConfig config, Vertx local, ClusterManager manager) {
    this.config = config;
    this.local = local;
    this.manager = manager;
    this.view = new ClusterView(manager);
  }

  @Override
  public Future<?> start() {
    BridgeStats stats = new BridgeStats();
    AtomicBoolean tickerTaken = new AtomicBoolean();
    String bridgeHost = config.bridge().host().equals("0.0.0.0") ? "127.0.0.1" : config.bridge().host();
    String dashboard = "http://" + bridgeHost + ":%d/";
    return vertx.deployVerticle(new FanoutRelay(local, view,
            Math.max(config.bridge().replyTimeoutMs(), config.ingest().replyTimeoutMs())))
        .compose(id -> vertx.deployVerticle(new LeaderElection(config.cluster(), config.sessions(), manager, view)))
        .compose(id -> deployOnOnePort(local, config.bridge().instances(), config.bridge().port(), -1,
            port -> new BroadcastBridgeVerticle(config.bridge().withPort(port), config.metrics(), stats,
                tickerTaken.compareAndSet(false, true)).withCluster(view::describe)))
        .compose(port -> {
          bridgePort = port;
          return deployOnOnePort(local, config.ingest().instances(), config.ingest().port(), -2,
              p -> new HttpIngestVerticle(config.ingest().withPort(p), dashboard.formatted(bridgePort))
                  .withCluster(view::describe));
        })
        .onSuccess(port -> {
          ingestPort = port;
          LOG.info("node {}: ingest listening on {}:{}, dashboard and SockJS bridge on {}:{}", manager.getNodeId(),
              config.ingest().host(), port, config.bridge().host(), bridgePort);
        });
  }

  public int ingestPort() {
    return ingestPort;
  }

  public int bridgePort() {
    return bridgePort;
  }

  public ClusterView view() {
    return view;
  }

  /** As {@code MainVerticle}: several instances on one port, port 0 as a shared random port. */
  private static <V extends VerticleBase & Listening> Future<Integer> deployOnOnePort(
      Vertx target, int instances, int port, int randomGroup, IntFunction<V> factory) {
    int bindPort = port == 0 ? randomGroup : port;
    AtomicReference<V> anyInstance = new AtomicReference<>();
    return target.deployVerticle(() -> {
      V verticle = factory.apply(bindPort);
      anyInstance.set(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> anyInstance.get().actualPort());
  }
}
