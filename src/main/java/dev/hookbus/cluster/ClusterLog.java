package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.EventQuery;
import dev.hookbus.state.FieldCutter;
import dev.hookbus.state.JournalLog;
import dev.hookbus.state.Restored;
import dev.hookbus.state.StateLog;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The leader's {@link StateLog}: each transition's records, stamped with the leader's term, go to this node's
 * journal and to every follower; an append completes (and the hook gets its 2xx) once it is on this node's disk and
 * on the disks of {@code requiredFollowers} followers: a majority of the three, all under the current term. A
 * follower that answers with a higher term deposes this leader at once: every append waiting and every later one
 * fails (503) and nothing more is written. Reads, restore and checkpoints are the journal's, as on a single node.
 * Runs on the state actor's event loop.
 */
final class ClusterLog implements StateLog {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLog.class);
  private static final int MAX_RECORDS_PER_REQUEST = 256;
  private static final long PUMP_MS = 100;
  private static final long RETRY_MS = 200;

  private record Pending(long seq, Promise<Void> promise) {
  }

  private static final class Peer {
    long match = -1;
    long next;
    boolean inFlight;
    long retryAt;
  }

  private final NodeLog node;
  private final JournalLog journal;
  private final EventBus clusterBus;
  private final String nodeId;
  private final long term;
  private final int requiredFollowers;
  private final Supplier<List<String>> members;
  private final Consumer<String> deposed;
  private final DeliveryOptions sendOptions;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final Map<String, Peer> peers = new HashMap<>();
  private Vertx vertx;
  private Context context;
  private long durableSeq;
  private volatile String over;

  /**
   * @param deposed told once, with the reason, when this leader learns that its term is over
   */
  ClusterLog(NodeLog node, JournalLog journal, EventBus clusterBus, String nodeId, long term, int requiredFollowers,
             Supplier<List<String>> members, long sendTimeoutMs, Consumer<String> deposed) {
    this.node = node;
    this.journal = journal;
    this.clusterBus = clusterBus;
    this.nodeId = nodeId;
    this.term = term;
    this.requiredFollowers = requiredFollowers;
    this.members = members;
    this.deposed = deposed;
    this.sendOptions = new DeliveryOptions().setSendTimeout(sendTimeoutMs);
    this.durableSeq = node.lastSeq();
  }

  @Override
  public Future<Void> open(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    vertx.setPeriodic(PUMP_MS, id -> pump());
    return journal.open(vertx);
  }

  @Override
  public Future<Restored> restore(SessionsConfig config, FieldCutter cutter) {
    return journal.restore(config, cutter);
  }

  @Override
  public Future<Void> append(List<JournalRecord> records) {
    if (over != null) {
      return Future.failedFuture("this node no longer leads (" + over + ")");
    }
    List<JournalRecord> stamped = new ArrayList<>(records.size());
    records.forEach(r -> stamped.add(NodeLog.stamped(r, term)));
    long last = stamped.get(stamped.size() - 1).lastSeq();
    Promise<Void> promise = Promise.promise();
    waiting.add(new Pending(last, promise));
    node.appendAsLeader(stamped, term).whenComplete((v, failure) -> context.runOnContext(x -> {
      if (failure != null) {
        depose("this node's journal refused the write: " + failure.getMessage());
      } else {
        durableSeq = Math.max(durableSeq, last);
        advance();
      }
    }));
    pump();
    return promise.future();
  }

  /** Ends this leadership: fails what waits; safe from any thread. */
  void depose(String reason) {
    if (over != null) {
      return;
    }
    over = reason;
    if (context == null) {
      deposed.accept(reason);
      return;
    }
    context.runOnContext(v -> {
      LOG.warn("node {} stops leading term {}: {}; what was not acknowledged is refused (503)", nodeId, term, reason);
      while (!waiting.isEmpty()) {
        waiting.poll().promise().tryFail("this node no longer leads (" + reason + ")");
      }
      deposed.accept(reason);
    });
  }

  boolean isOver() {
    return over != null;
  }

  private void pump() {
    if (over != null) {
      return;
    }
    List<String> nodes = members.get();
    peers.keySet().removeIf(peer -> !nodes.contains(peer));
    for (String peer : nodes) {
      if (!peer.equals(nodeId)) {
        send(peer, peers.computeIfAbsent(peer, p -> {
          Peer fresh = new Peer();
          fresh.next = node.lastSeq() + 1;
          return fresh;
        }));
      }
    }
    advance();
  }

  private void send(String peerId, Peer peer) {
    long now = System.currentTimeMillis();
    if (peer.inFlight || now < peer.retryAt || (peer.match >= node.lastSeq() && peer.match >= 0)) {
      return;
    }
    peer.inFlight = true;
    long prevSeq = peer.next - 1;
    vertx.executeBlocking(() -> node.after(prevSeq, MAX_RECORDS_PER_REQUEST), false)
        .compose(records -> {
          JsonObject request = new JsonObject().put("op", "append").put("term", term).put("leader", nodeId)
              .put("prevSeq", prevSeq).put("prevTerm", node.termAt(prevSeq)).put("records", NodeLog.toJson(records));
          return clusterBus.<JsonObject>request(Addresses.replica(peerId), request, sendOptions);
        })
        .onComplete(reply -> {
          peer.inFlight = false;
          if (reply.failed()) {
            LOG.debug("replication to {} failed: {}", peerId, reply.cause().getMessage());
            peer.retryAt = System.currentTimeMillis() + RETRY_MS;
            return;
          }
          JsonObject body = reply.result().body();
          if (body.getBoolean("ok")) {
            peer.match = Math.max(peer.match, body.getLong("match"));
            peer.next = peer.match + 1;
            advance();
            pump();
          } else if (body.getBoolean("stale", false) || body.getLong("term") > term) {
            depose("node " + peerId + " has seen term " + body.getLong("term"));
          } else {
            long agreed = NodeLog.agreement(node.runs(), node.lastSeq(), NodeLog.runsFrom(body.getJsonArray("runs")),
                body.getLong("lastSeq"));
            peer.next = agreed + 1;
            pump();
          }
        });
  }

  private void advance() {
    long[] matches = peers.values().stream().mapToLong(p -> p.match).sorted().toArray();
    long replicated = matches.length < requiredFollowers ? -1
        : requiredFollowers == 0 ? Long.MAX_VALUE : matches[matches.length - requiredFollowers];
    long committed = Math.min(durableSeq, replicated);
    while (over == null && !waiting.isEmpty() && waiting.peek().seq() <= committed) {
      waiting.poll().promise().complete();
    }
  }

  @Override
  public Future<java.util.Optional<List<JsonObject>>> range(long after, long until, int max) {
    return journal.range(after, until, max);
  }

  @Override
  public Future<java.util.Optional<JsonObject>> query(EventQuery query, FieldCutter cutter) {
    return journal.query(query, cutter);
  }

  @Override
  public long firstSeq() {
    return journal.firstSeq();
  }

  @Override
  public Future<java.util.Optional<List<JsonObject>>> usageEnvelopes(long fromSeq, long toSeq) {
    return journal.usageEnvelopes(fromSeq, toSeq);
  }

  @Override
  public Future<Void> checkpoint(long seq, JsonObject registry) {
    return journal.checkpoint(seq, registry);
  }

  @Override
  public long checkpointEvery() {
    return journal.checkpointEvery();
  }

  @Override
  public String epoch() {
    return journal.epoch();
  }

  @Override
  public void enforceRetention(long nowMs) {
    journal.enforceRetention(nowMs);
  }

  /** Nothing to close: the journal is the node's and stays open for its next role. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
