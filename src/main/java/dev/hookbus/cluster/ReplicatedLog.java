package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.state.FieldCutter;
import dev.hookbus.state.Replayer;
import dev.hookbus.state.Restored;
import dev.hookbus.state.StateLog;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The leader's log: the records of every state transition (as the journal keeps them), replicated to the
 * followers before they count. An entry is {@code {term, records:[{first, last, time, body}]}}, one per append.
 * Followers hold it in memory only, so nothing older than the leader's history window can be read from it, and a
 * new leader replays all of it (no checkpoints). Each follower gets the
 * entries it lacks, one request in flight at a time (so a backlog goes as one batch); an operation is committed,
 * and the state actor may publish it and answer the hook, once {@code minReplicas} followers hold it (fewer if
 * fewer are alive). Runs on the state actor's event loop; only the ticker is its own.
 */
final class ReplicatedLog implements StateLog {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedLog.class);
  private static final int MAX_ENTRIES_PER_REQUEST = 256;
  private static final long RETRY_MS = 200;

  private record Pending(long index, Promise<Void> promise) {
  }

  private static final class Follower {
    long match;
    long next = 1;
    boolean inFlight;
    boolean full;
    long retryAt;
  }

  private final String epoch = UUID.randomUUID().toString();
  private final ClusterManager manager;
  private final ClusterView view;
  private final long term;
  private final int minReplicas;
  private final List<JsonObject> entries;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final Map<String, Follower> followers = new HashMap<>();
  private final DeliveryOptions sendOptions = new DeliveryOptions().setSendTimeout(2_000);
  private Vertx vertx;
  private long commitIndex;

  ReplicatedLog(ClusterManager manager, ClusterView view, long term, int minReplicas, List<JsonObject> entries) {
    this.manager = manager;
    this.view = view;
    this.term = term;
    this.minReplicas = minReplicas;
    this.entries = new ArrayList<>(entries);
    this.commitIndex = entries.size();
  }

  @Override
  public Future<Void> open(Vertx vertx) {
    // Called from the actor's start(): the ticker lives on the actor's context and dies with it.
    this.vertx = vertx;
    vertx.setPeriodic(RETRY_MS, id -> pump());
    return Future.succeededFuture();
  }

  @Override
  public Future<Restored> restore(SessionsConfig config, FieldCutter cutter) {
    Replayer replayer = new Replayer(config, cutter, 0);
    for (JsonObject entry : entries) {
      for (Object record : entry.getJsonArray("records")) {
        replayer.offer(record((JsonObject) record));
      }
    }
    return Future.succeededFuture(replayer.finish(0));
  }

  @Override
  public Future<Void> append(List<JournalRecord> records) {
    JsonArray json = new JsonArray(new ArrayList<>(records.size()));
    records.forEach(r -> json.add(new JsonObject().put("first", r.firstSeq()).put("last", r.lastSeq())
        .put("time", r.time()).put("body", r.body())));
    entries.add(new JsonObject().put("term", term).put("records", json));
    Promise<Void> promise = Promise.promise();
    waiting.add(new Pending(entries.size(), promise));
    pump();
    return promise.future();
  }

  private static JournalRecord record(JsonObject json) {
    return new JournalRecord(json.getLong("first"), json.getLong("last"), json.getLong("time"),
        json.getBinary("body"));
  }

  @Override
  public String epoch() {
    return epoch;
  }

  private void pump() {
    List<String> nodes = manager.getNodes();
    followers.keySet().removeIf(node -> !nodes.contains(node));
    for (String node : nodes) {
      if (!node.equals(manager.getNodeId())) {
        send(node, followers.computeIfAbsent(node, n -> new Follower()));
      }
    }
    advanceCommit();
  }

  private void send(String node, Follower follower) {
    long size = entries.size();
    if (follower.inFlight || follower.next > size || System.currentTimeMillis() < follower.retryAt) {
      return;
    }
    long from = follower.next;
    long to = Math.min(size, from + MAX_ENTRIES_PER_REQUEST - 1);
    JsonArray slice = new JsonArray(new ArrayList<>(entries.subList((int) from - 1, (int) to)));
    JsonObject request = new JsonObject().put("op", "append").put("term", term).put("from", from)
        .put("entries", slice);
    follower.inFlight = true;
    vertx.eventBus().<JsonObject>request(Addresses.replica(node), request, sendOptions).onComplete(reply -> {
      follower.inFlight = false;
      if (reply.succeeded() && reply.result().body().getBoolean("ok")) {
        follower.full = false;
        follower.match = Math.max(follower.match, to);
        follower.next = follower.match + 1;
      } else if (reply.succeeded() && reply.result().body().getBoolean("full", false)) {
        if (!follower.full) {
          LOG.warn("follower {} holds cluster.maxReplicaBytes and refuses more; it no longer counts as a replica",
              node);
        }
        follower.full = true;
        follower.retryAt = System.currentTimeMillis() + RETRY_MS;
      } else if (reply.succeeded()) {
        follower.next = reply.result().body().getLong("size") + 1;
      } else {
        LOG.debug("replication to {} failed: {}", node, reply.cause().getMessage());
        follower.retryAt = System.currentTimeMillis() + RETRY_MS;
      }
      pump();
    });
  }

  private void advanceCommit() {
    int required = Math.min(minReplicas, followers.size());
    long[] matches = followers.values().stream().mapToLong(f -> f.match).sorted().toArray();
    long replicated = required == 0 ? entries.size() : matches[matches.length - required];
    commitIndex = Math.max(commitIndex, replicated);
    while (!waiting.isEmpty() && waiting.peek().index() <= commitIndex) {
      waiting.poll().promise().complete();
    }
    view.followersInSync((int) followers.values().stream().filter(f -> f.match == entries.size()).count());
  }
}
