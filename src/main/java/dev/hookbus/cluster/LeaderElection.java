package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.ClusterConfig;
import dev.hookbus.config.AppConfig;
import dev.hookbus.state.SessionStateVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One per node. Followers keep a replica of the leader's log and queue for the cluster-wide lock
 * {@value #LOCK}; the node that gets it increments the term, takes the longest log among the survivors,
 * and deploys the one state actor of the cluster on it. vertx-hazelcast implements the lock as a Hazelcast IMap
 * key lock, which Hazelcast releases when its owner leaves the cluster: a killed leader frees it once the members
 * see it gone.
 */
public class LeaderElection extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  static final String LOCK = "hookbus.leader";
  private static final String TERM_COUNTER = "hookbus.term";
  private static final long LOCK_WAIT_MS = 1_000;
  private static final int FETCH_MAX = 512;
  private static final DeliveryOptions PEER = new DeliveryOptions().setSendTimeout(1_000);

  private final ClusterConfig cluster;
  private final AppConfig config;
  private final ClusterManager manager;
  private final ClusterView view;
  private final ReplicaStore store;
  private boolean leader;
  private boolean stopping;
  private Lock lock;

  public LeaderElection(AppConfig config, ClusterManager manager, ClusterView view) {
    this.cluster = config.cluster();
    this.config = config;
    this.store = new ReplicaStore(cluster.maxReplicaBytes());
    this.manager = manager;
    this.view = view;
  }

  @Override
  public Future<?> start() {
    Future<Void> replica = vertx.eventBus().<JsonObject>consumer(Addresses.replica(manager.getNodeId()), this::onReplica)
        .completion();
    Future<Void> announcements = vertx.eventBus().<JsonObject>consumer(Addresses.LEADER,
        m -> view.leaderAnnounced(m.body().getString("nodeId"), m.body().getLong("term"))).completion();
    return Future.all(replica, announcements).onSuccess(v -> campaign());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (lock != null) {
      lock.release();
    }
    return Future.succeededFuture();
  }

  private void onReplica(Message<JsonObject> message) {
    if (leader) {
      message.fail(FailureCode.UNAVAILABLE.code(), "this node is the leader");
      return;
    }
    message.reply(store.handle(message.body()));
  }

  private void campaign() {
    if (stopping) {
      return;
    }
    vertx.sharedData().getLockWithTimeout(LOCK, LOCK_WAIT_MS)
        .onSuccess(this::promote)
        .onFailure(notYet -> campaign());
  }

  private void promote(Lock acquired) {
    if (stopping) {
      acquired.release();
      return;
    }
    lock = acquired;
    long started = System.currentTimeMillis();
    vertx.sharedData().getCounter(TERM_COUNTER)
        .compose(counter -> counter.incrementAndGet())
        .compose(term -> {
          store.enterTerm(term);
          return catchUp().map(term);
        })
        .compose(term -> {
          leader = true;
          ReplicatedLog log = new ReplicatedLog(manager, view, term, cluster.minReplicas(), store.entries());
          // The replica copy is dropped only once the actor owns the log: a failed start keeps it.
          return vertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast(), log,
                  Fanout.CLUSTER))
              .onSuccess(id -> store.replace(List.of())).map(term);
        })
        .onSuccess(term -> {
          LOG.info("node {} is the leader (term {}), state actor up {} ms after taking the lock, {} members",
              manager.getNodeId(), term, System.currentTimeMillis() - started, manager.getNodes().size());
          JsonObject announcement = new JsonObject().put("nodeId", manager.getNodeId()).put("term", term);
          view.leaderAnnounced(manager.getNodeId(), term);
          vertx.eventBus().publish(Addresses.LEADER, announcement);
          vertx.setPeriodic(1_000, id -> vertx.eventBus().publish(Addresses.LEADER, announcement));
        })
        .onFailure(e -> {
          LOG.error("could not take over as leader; giving the lock back", e);
          leader = false;
          lock = null;
          acquired.release();
          vertx.setTimer(LOCK_WAIT_MS, id -> campaign());
        });
  }

  /** Asks every other member for its log status and copies the best log if it holds more than ours. */
  private Future<Void> catchUp() {
    List<Future<JsonObject>> statuses = new ArrayList<>();
    List<String> peers = new ArrayList<>(manager.getNodes());
    peers.remove(manager.getNodeId());
    for (String peer : peers) {
      statuses.add(vertx.eventBus().<JsonObject>request(Addresses.replica(peer),
              new JsonObject().put("op", "status"), PEER)
          .map(m -> m.body().put("node", peer))
          .otherwise((JsonObject) null));
    }
    return Future.all(statuses).compose(all -> {
      JsonObject best = null;
      for (Future<JsonObject> status : statuses) {
        JsonObject s = status.result();
        if (s != null && store.isBehind(s) && (best == null || isBetter(s, best))) {
          best = s;
        }
      }
      if (best == null) {
        return Future.succeededFuture();
      }
      LOG.info("copying the log of {} ({} entries) before taking over", best.getString("node"), best.getLong("size"));
      return fetch(best.getString("node"), 1, new ArrayList<>()).onSuccess(store::replace).mapEmpty();
    });
  }

  private static boolean isBetter(JsonObject a, JsonObject b) {
    return a.getLong("lastTerm") > b.getLong("lastTerm")
        || (a.getLong("lastTerm").equals(b.getLong("lastTerm")) && a.getLong("size") > b.getLong("size"));
  }

  private Future<List<JsonObject>> fetch(String peer, long from, List<JsonObject> into) {
    JsonObject request = new JsonObject().put("op", "fetch").put("from", from).put("max", FETCH_MAX);
    return vertx.eventBus().<JsonObject>request(Addresses.replica(peer), request, PEER).compose(reply -> {
      reply.body().getJsonArray("entries").forEach(e -> into.add((JsonObject) e));
      int got = reply.body().getJsonArray("entries").size();
      return got < FETCH_MAX ? Future.succeededFuture(into) : fetch(peer, from + got, into);
    });
  }
}
