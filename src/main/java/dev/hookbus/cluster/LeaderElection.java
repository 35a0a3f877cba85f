package dev.hookbus.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ClusterConfig;
import dev.hookbus.state.JournalLog;
import dev.hookbus.state.SessionStateVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One per node. Every node serves as a replica of the log ({@link Follower}, on its own journal) and queues for the
 * CP subsystem's FencedLock ({@link LeaderLock}). The node that gets it takes a term above the lock's fence and
 * above every term a majority has seen, wins that majority's votes for it, copies the newest log among them (and
 * drops its own uncommitted tail), then runs the one state actor of the cluster on its actor Vert.x over a
 * {@link ClusterLog}. It leads until the lock is no longer confirmed within the lease, or a peer reports a higher
 * term: then it stops acknowledging at once, undeploys the actor and queues again.
 */
public class LeaderElection extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  private static final int CP_MEMBERS = HazelcastSetup.CP_MEMBERS;
  private static final long RETRY_MS = 1_000;
  private static final DeliveryOptions PEER = new DeliveryOptions().setSendTimeout(3_000);
  /** Leases a lock that cannot be confirmed (no answer, as opposed to "not yours") for this many lease times. */
  private static final int UNCONFIRMED_LEASES = 3;

  private final ClusterConfig cluster;
  private final AppConfig config;
  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final ClusterView view;
  private final Vertx actorVertx;
  private final long leaseMs;
  private NodeLog log;
  private LeaderLock lock;
  private Context context;
  private ClusterLog leading;
  private long leaderTerm;
  private String actorDeployment;
  private final List<Long> timers = new ArrayList<>();
  private boolean stopping;
  private boolean waitingLogged;
  private String lastLockFailure;

  public LeaderElection(AppConfig config, HazelcastInstance hazelcast, String nodeId, ClusterView view,
                        Vertx actorVertx) {
    this.cluster = config.cluster();
    this.config = config;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.view = view;
    this.actorVertx = actorVertx;
    this.leaseMs = cluster.leaseSeconds() * 1_000L;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    lock = new LeaderLock(hazelcast);
    return vertx.executeBlocking(() -> NodeLog.open(config.store(), cluster.maxReplicaBytes()), false)
        .compose(opened -> {
          log = opened;
          view.log(() -> new JsonObject().put("lastSeq", log.lastSeq()).put("lastTerm", log.lastTerm())
              .put("tailBytes", log.tailBytes())
              .put("cpMember", hazelcast.getCPSubsystem().getLocalCPMember() != null));
          Follower follower = new Follower(log, this::higherTermSeen);
          Future<Void> replica = vertx.eventBus().<JsonObject>consumer(Addresses.replica(nodeId),
              m -> serve(follower, m)).completion();
          Future<Void> announcements = vertx.eventBus().<JsonObject>consumer(Addresses.LEADER, m -> {
            if (!BusWarmup.isWarmup(m)) {
              view.leaderAnnounced(m.body().getString("nodeId"), m.body().getLong("term"));
            }
          }).completion();
          return Future.all(replica, announcements);
        })
        .onSuccess(v -> {
          new CpMembership(hazelcast, CP_MEMBERS).watch(vertx);
          LeftMemberSessions.watch(vertx, hazelcast);
          campaign();
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    Future<?> actor = actorDeployment == null ? Future.succeededFuture() : actorVertx.undeploy(actorDeployment);
    return actor.eventually(() -> {
      view.leading(false);
      lock.release();
      lock.close();
      return Future.fromCompletionStage(log.journal().close());
    }).eventually(actorVertx::close);
  }

  private void serve(Follower follower, Message<JsonObject> message) {
    if (BusWarmup.isWarmup(message)) {
      return;
    }
    vertx.executeBlocking(() -> follower.handle(message.body()), true).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        message.fail(FailureCode.INTERNAL.code(), done.cause().toString());
      }
    });
  }

  /** Any thread: a request of a higher term than ours ends our leadership before it is handled. */
  private void higherTermSeen(long term) {
    ClusterLog current = leading;
    if (current != null && term > leaderTerm) {
      current.depose("a peer runs term " + term);
    }
  }

  private void campaign() {
    if (stopping) {
      return;
    }
    lock.acquire(context)
        .onFailure(e -> {
          // One line per kind of failure (their messages carry timestamps).
          String kind = e.getClass().getName();
          if (waitingLogged) {
            if (!kind.equals(lastLockFailure)) {
              LOG.info("the leader lock could not be taken: {}", e.toString());
            }
          } else {
            waitingLogged = true;
            LOG.warn("no leader yet: the CP subsystem needs {} members (cluster.members) and has not formed ({}); "
                + "until it does, this node accepts no events (503)", CP_MEMBERS, e.getMessage());
          }
          lastLockFailure = kind;
          later(RETRY_MS, this::campaign);
        })
        .onSuccess(fence -> {
          lock.watch();
          takeOver(fence);
        });
  }

  private void takeOver(long fence) {
    long started = System.currentTimeMillis();
    vote(Math.max(fence, log.term() + 1), 3)
        .onSuccess(term -> LOG.info("node {} leads term {} (lock fence {}): state actor up {} ms after the lock, "
            + "at seq {}", nodeId, term, fence, System.currentTimeMillis() - started, log.lastSeq()))
        .onFailure(e -> {
          LOG.info("node {} could not take over ({}); giving the lock back", nodeId, e.getMessage());
          stepDown();
        });
  }

  /** Asks for {@code term}; as soon as a majority (this node included) grants it, takes over with their logs. */
  private Future<Long> vote(long term, int attempts) {
    List<String> peers = new ArrayList<>(view.members());
    peers.remove(nodeId);
    int needed = CP_MEMBERS / 2;
    JsonObject request = new JsonObject().put("op", "vote").put("term", term).put("leader", nodeId);
    return vertx.executeBlocking(() -> log.accept(term, nodeId), true).compose(self -> {
      if (!self) {
        return attempts > 1 ? vote(log.term() + 1, attempts - 1)
            : Future.failedFuture("term " + term + " was taken");
      }
      return askUntil(peers, request, needed).compose(replies -> {
        List<JsonObject> granted = replies.stream().filter(r -> r.getBoolean("ok")).toList();
        if (granted.size() >= needed) {
          return elected(term, granted);
        }
        long highest = replies.stream().mapToLong(r -> r.getLong("term")).max().orElse(term);
        if (highest >= term && attempts > 1) {
          return vote(highest + 1, attempts - 1);
        }
        return Future.failedFuture("only " + (granted.size() + 1) + " of " + CP_MEMBERS
            + " nodes accepted term " + term);
      });
    });
  }

  /** The replies to {@code request}, as soon as {@code okNeeded} of them say ok or every peer answered or failed. */
  private Future<List<JsonObject>> askUntil(List<String> peers, JsonObject request, int okNeeded) {
    io.vertx.core.Promise<List<JsonObject>> done = io.vertx.core.Promise.promise();
    List<JsonObject> replies = new ArrayList<>();
    int[] pending = {peers.size()};
    if (peers.isEmpty()) {
      done.complete(replies);
    }
    for (String peer : peers) {
      vertx.eventBus().<JsonObject>request(Addresses.replica(peer), request, PEER).onComplete(reply -> {
        pending[0]--;
        if (reply.succeeded()) {
          replies.add(reply.result().body().put("node", peer));
        }
        if (pending[0] == 0 || replies.stream().filter(r -> r.getBoolean("ok", false)).count() >= okNeeded) {
          done.tryComplete(new ArrayList<>(replies));
        }
      });
    }
    return done.future();
  }

  private Future<Long> elected(long term, List<JsonObject> granted) {
    JsonObject best = null;
    for (JsonObject vote : granted) {
      if (newer(vote, best == null ? log.status() : best)) {
        best = vote;
      }
    }
    Future<Void> caughtUp = best == null ? Future.succeededFuture() : catchUp(best.getString("node"), best);
    return caughtUp
        .compose(v -> vertx.executeBlocking(() -> {
          log.openRun(term);
          return null;
        }, true))
        .compose(v -> {
          if (lock.lost() || System.currentTimeMillis() - lock.confirmedAt() > UNCONFIRMED_LEASES * leaseMs
              || stopping) {
            return Future.failedFuture("the lock was lost while taking over");
          }
          leaderTerm = term;
          ClusterLog clusterLog = new ClusterLog(log, new JournalLog(config.store(), log.journal()),
              vertx.eventBus(), nodeId, term, Math.max(1, cluster.minReplicas()), view::members, PEER.getSendTimeout(),
              // Deposed while the actor still starts, the take-over itself fails and steps down (below), once.
              reason -> context.runOnContext(x -> {
                if (leading != null && leading.isOver() && actorDeployment != null) {
                  stepDown();
                }
              }));
          leading = clusterLog;
          io.vertx.core.eventbus.EventBus clusterBus = vertx.eventBus();
          return actorVertx.deployVerticle(new SessionStateVerticle(config.sessions(), config.broadcast(), clusterLog,
                  (bus, envelope) -> clusterBus.publish(Addresses.FANOUT, envelope)))
              // The deployment completes on the actor Vert.x's thread: back to this verticle's before any state.
              .compose(id -> Future.<String>future(p -> context.runOnContext(x -> p.complete(id))))
              .compose(id -> {
                actorDeployment = id;
                if (clusterLog.isOver()) {
                  return Future.failedFuture("deposed while taking over");
                }
                view.leading(true);
                announce(term);
                timers.add(vertx.setPeriodic(LeaderLock.CHECK_MS, t -> {
                  if (lock.lost()) {
                    clusterLog.depose("the CP subsystem gave the leader lock to another session");
                  } else if (System.currentTimeMillis() - lock.confirmedAt() > UNCONFIRMED_LEASES * leaseMs) {
                    // Unanswered, not refused: the CP group is busy or out of reach. Safety does not hang on this
                    // (no follower that saw a newer term acknowledges this one), so it waits longer than the lease.
                    clusterLog.depose("the leader lock could not be confirmed for " + UNCONFIRMED_LEASES * leaseMs
                        + " ms");
                  }
                }));
                return Future.succeededFuture(term);
              });
        });
  }

  private static boolean newer(JsonObject a, JsonObject b) {
    return a.getLong("lastTerm") > b.getLong("lastTerm")
        || (a.getLong("lastTerm").equals(b.getLong("lastTerm")) && a.getLong("lastSeq") > b.getLong("lastSeq"));
  }

  /** Cuts our log back to where it agrees with {@code peer}'s, then copies the rest of it. */
  private Future<Void> catchUp(String peer, JsonObject status) {
    long agreed = NodeLog.agreement(log.runs(), log.lastSeq(), NodeLog.runsFrom(status.getJsonArray("runs")),
        status.getLong("lastSeq"));
    LOG.info("copying seqs {}..{} from {} before taking over", agreed + 1, status.getLong("lastSeq"), peer);
    return vertx.executeBlocking(() -> {
      log.truncateAfter(agreed);
      return null;
    }, true).compose(v -> fetch(peer, status.getLong("lastSeq")));
  }

  private Future<Void> fetch(String peer, long until) {
    long after = log.lastSeq();
    if (after >= until) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>request(Addresses.replica(peer),
            new JsonObject().put("op", "fetch").put("after", after), PEER)
        .compose(reply -> vertx.executeBlocking(() -> {
          var records = NodeLog.fromJson(reply.body().getJsonArray("records"));
          if (records.isEmpty()) {
            throw new IllegalStateException(peer + " sent nothing after seq " + after);
          }
          log.append(records).join();
          return null;
        }, true))
        .compose(v -> fetch(peer, until));
  }

  private void announce(long term) {
    JsonObject announcement = new JsonObject().put("nodeId", nodeId).put("term", term);
    view.leaderAnnounced(nodeId, term);
    vertx.eventBus().publish(Addresses.LEADER, announcement);
    timers.add(vertx.setPeriodic(1_000, id -> {
      if (leading != null && !leading.isOver()) {
        vertx.eventBus().publish(Addresses.LEADER, announcement);
      }
    }));
  }

  /** Ends this node's leadership (or a failed take-over) and queues for the lock again. */
  private void stepDown() {
    boolean wasLeading = actorDeployment != null;
    leading = null;
    view.leading(false);
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    Future<?> undeployed = actorDeployment == null ? Future.succeededFuture() : actorVertx.undeploy(actorDeployment);
    actorDeployment = null;
    undeployed.onComplete(done -> {
      lock.release();
      if (wasLeading) {
        LOG.info("node {} is a follower again", nodeId);
      }
      later(RETRY_MS + ThreadLocalRandom.current().nextLong(RETRY_MS), this::campaign);
    });
  }

  private void later(long ms, Runnable action) {
    if (!stopping) {
      vertx.setTimer(ms, id -> action.run());
    }
  }
}
