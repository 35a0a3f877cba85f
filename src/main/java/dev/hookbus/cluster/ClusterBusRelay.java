package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge between this node's clustered bus and its node-local bus, where the SockJS bridge and ingest run.
 * One consumer of {@link Addresses#FANOUT} per node re-publishes the leader's envelopes locally, so a browser
 * subscription is a local registration and never an entry in the cluster's subscription map. Requests go the
 * other way, to the state actor on the leader: events from ingest, {@code hookbus.sync} and
 * {@code hookbus.history} and approval decisions from browsers, stats from the metrics ticker. The actor runs on its own node-local Vert.x
 * (the actor Vert.x): on the leader the relay hands requests to it directly, elsewhere it sends them to the
 * leader's relay at {@link Addresses#onNode}, which every node registers at start. With no leader, or when the
 * leader leaves while a request waits, the request fails at once with {@link FailureCode#UNAVAILABLE} (a 503 for a
 * hook) instead of waiting out its timeout. Approval outcomes go from the leader's actor to every node's ingest, and
 * each node's count of viewers who may decide goes to every node.
 */
public class ClusterBusRelay extends VerticleBase {
  /** Every address the state actor consumes: on a cluster node they are reached only through this relay. */
  private static final List<String> FORWARDED = List.of(Addresses.STATE_APPLY, Addresses.SYNC, Addresses.HISTORY,
      Addresses.STATE_STATS, Addresses.STATE_EVENT, Addresses.STATE_QUERY, Addresses.STATE_USAGE,
      Addresses.APPROVALS_DECIDE);
  /** Marks a message this relay put on the local bus, so that it is not sent back to the cluster. */
  private static final String RELAYED = "hookbus-relayed";
  private static final long LEADER_CHECK_MS = 100;

  private final Vertx local;
  private final Vertx actor;
  private final ClusterView view;
  private final DeliveryOptions forwardOptions;
  private final List<MessageConsumer<Object>> localConsumers = new ArrayList<>();
  /** Requests waiting for the leader, with the leader they went to. */
  private final Map<Message<Object>, String> waiting = new ConcurrentHashMap<>();

  public ClusterBusRelay(Vertx local, Vertx actor, ClusterView view, long replyTimeoutMs) {
    this.local = local;
    this.actor = actor;
    this.view = view;
    this.forwardOptions = new DeliveryOptions().setSendTimeout(replyTimeoutMs);
  }

  @Override
  public Future<?> start() {
    EventBus localBus = local.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.FANOUT, m -> {
      if (!BusWarmup.isWarmup(m)) {
        Fanout.toSubscribers(localBus, m.body());
      }
    }).completion());
    // Approvals: the leader's outcomes to every node's ingest; every node's deciders count to every other node's.
    ready.add(actor.eventBus().<JsonObject>consumer(Addresses.APPROVAL_OUTCOMES,
        m -> vertx.eventBus().publish(Addresses.APPROVAL_OUTCOMES, m.body())).completion());
    ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.APPROVAL_OUTCOMES,
        m -> localBus.publish(Addresses.APPROVAL_OUTCOMES, m.body())).completion());
    DeliveryOptions relayed = new DeliveryOptions().addHeader(RELAYED, "1");
    ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.APPROVAL_DECIDERS_CLUSTER,
        m -> localBus.publish(Addresses.APPROVAL_DECIDERS, m.body(), relayed)).completion());
    MessageConsumer<Object> deciders = localBus.consumer(Addresses.APPROVAL_DECIDERS, m -> {
      if (!m.headers().contains(RELAYED)) {
        vertx.eventBus().publish(Addresses.APPROVAL_DECIDERS_CLUSTER, m.body());
      }
    });
    localConsumers.add(deciders);
    ready.add(deciders.completion());
    // Fan-out progress: every node's bridges reach the actor, so its backpressure counts the slowest of them all.
    MessageConsumer<Object> progress = localBus.consumer(Addresses.FANOUT_PROGRESS,
        m -> vertx.eventBus().publish(Addresses.FANOUT_PROGRESS_CLUSTER, m.body()));
    localConsumers.add(progress);
    ready.add(progress.completion());
    ready.add(vertx.eventBus().consumer(Addresses.FANOUT_PROGRESS_CLUSTER, m -> {
      if (view.leading()) {
        actor.eventBus().send(Addresses.FANOUT_PROGRESS, m.body());
      }
    }).completion());
    for (String address : FORWARDED) {
      MessageConsumer<Object> consumer = localBus.consumer(address, this::forward);
      localConsumers.add(consumer);
      ready.add(consumer.completion());
      ready.add(vertx.eventBus().consumer(Addresses.onNode(address, view.nodeId()), this::toActor).completion());
    }
    vertx.setPeriodic(LEADER_CHECK_MS, id -> failRequestsToDepartedLeader());
    return Future.all(ready).onSuccess(v -> BusWarmup.start(vertx, view, FORWARDED));
  }

  @Override
  public Future<?> stop() {
    return Future.all(localConsumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void forward(Message<Object> message) {
    if (view.leading()) {
      toActor(message);
      return;
    }
    String leader = view.leader();
    if (leader == null || leader.equals(view.nodeId())) {
      message.fail(FailureCode.UNAVAILABLE.code(), "no leader right now (election in progress); retry shortly");
      return;
    }
    waiting.put(message, leader);
    vertx.eventBus().request(Addresses.onNode(message.address(), leader), message.body(), forwardOptions)
        .onComplete(reply -> {
          if (waiting.remove(message) != null) {
            answer(message, reply);
          }
        });
  }

  /** The state actor's address on this node's actor Vert.x; refused unless this node leads. */
  private void toActor(Message<Object> message) {
    if (BusWarmup.isWarmup(message)) {
      return;
    }
    String address = message.address();
    int at = address.indexOf(Addresses.ON_NODE_SEPARATOR);
    String target = at < 0 ? address : address.substring(0, at);
    if (!view.leading()) {
      message.fail(FailureCode.UNAVAILABLE.code(), "this node does not lead (any more); retry shortly");
      return;
    }
    actor.eventBus().request(target, message.body(), forwardOptions).onComplete(reply -> answer(message, reply));
  }

  private static void answer(Message<Object> message, io.vertx.core.AsyncResult<Message<Object>> reply) {
    if (reply.succeeded()) {
      message.reply(reply.result().body());
    } else if (reply.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(e.failureCode(), e.getMessage());
    } else {
      message.fail(FailureCode.UNAVAILABLE.code(), "the leader did not answer: " + reply.cause().getMessage());
    }
  }

  private void failRequestsToDepartedLeader() {
    if (waiting.isEmpty()) {
      return;
    }
    List<String> members = view.members();
    String current = view.leader();
    waiting.forEach((message, leader) -> {
      boolean replaced = !members.contains(leader) || !leader.equals(current);
      if (replaced && waiting.remove(message) != null) {
        message.fail(FailureCode.UNAVAILABLE.code(), "the leader left or was replaced; retry shortly");
      }
    });
  }
}
