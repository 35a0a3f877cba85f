package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.BroadcastConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.config.StoreConfig;
import dev.hookbus.model.Json;
import dev.hookbus.store.Disk;
import dev.hookbus.store.EventQuery;
import dev.hookbus.store.EventStore;
import dev.hookbus.store.Lookups;
import dev.hookbus.store.Restored;
import dev.hookbus.store.Transition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The session-state actor: the only writer of session state. Deployed as exactly one instance (in a cluster, on the
 * leader only); everything runs on its event loop, so the registry needs no locks. Each transition is applied, kept
 * (journaled on a single node, replicated to followers in a cluster), and only once it is kept published and acked;
 * both complete in order, so envelopes leave in seq order. A failed journal write rebuilds the state from the
 * journal, so nothing that was not kept stays in memory.
 */
public class SessionStateVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStateVerticle.class);
  private static final long RETENTION_CHECK_MS = 10_000;

  private final SessionsConfig config;
  private final FieldCutter cutter;
  private final StoreConfig storeConfig;
  private final Disk disk;
  private final StateLog log;
  private final Fanout fanout;
  private final EventRate rate = new EventRate();
  private final List<Message<Object>> waitingSyncs = new ArrayList<>();
  private List<Message<JsonObject>> heldApplies = new ArrayList<>();
  private SessionRegistry registry;
  private History<JsonObject> history;
  private EventStore store;
  private Lookups lookups;
  private Publisher publisher;
  private String epoch;
  private long publishedSeq;
  private int generation;
  private boolean recovering;
  private boolean stopping;
  private Future<Void> lastCommit = Future.succeededFuture();

  /** A single node: the journal in {@code storeConfig} keeps what is accepted. */
  public SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast, StoreConfig storeConfig, Disk disk) {
    this(config, broadcast, storeConfig, disk, StateLog.NONE, Fanout.DIRECT);
  }

  /** A cluster leader: {@code log} replicates each operation to followers before it takes effect outside. */
  public SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast, StateLog log, Fanout fanout) {
    this(config, broadcast, null, Disk.REAL, log, fanout);
  }

  private SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast, StoreConfig storeConfig, Disk disk,
                               StateLog log, Fanout fanout) {
    this.config = config;
    this.cutter = new FieldCutter(broadcast.maxFieldChars());
    this.storeConfig = storeConfig;
    this.disk = disk;
    this.log = log;
    this.fanout = fanout;
  }

  /**
   * Restores the state from the journal or the replicated log (if any), closes what went idle meanwhile, then
   * takes requests.
   */
  @Override
  public Future<?> start() {
    publisher = new Publisher(vertx.eventBus(), fanout, cutter);
    Future<Restored> restored = storeConfig == null || !storeConfig.enabled()
        ? Future.succeededFuture(OperationReplay.replay(config, log.recovered()))
        : EventStore.open(vertx, storeConfig, disk).compose(opened -> {
          store = opened;
          return opened.restore(config);
        });
    return restored.map(this::adopt)
        .compose(v -> sweepIdle())
        .compose(v -> {
          startTimers();
          return registerConsumers();
        });
  }

  private void startTimers() {
    long idleCheckMs = Math.max(250, Math.min(config.idleTimeoutMs() / 10, 60_000));
    vertx.setPeriodic(idleCheckMs, id -> sweepIdle());
    if (store != null) {
      store.enforceRetention(System.currentTimeMillis());
      vertx.setPeriodic(RETENTION_CHECK_MS, id -> store.enforceRetention(System.currentTimeMillis()));
    }
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.STATE_APPLY, this::onApply).completion(),
        bus.consumer(Addresses.SYNC, this::onSync).completion(),
        bus.consumer(Addresses.HISTORY, this::onHistory).completion(),
        bus.<JsonObject>consumer(Addresses.STATE_EVENT, m -> answer(m, lookups.event(m.body().getLong("seq"))))
            .completion(),
        bus.<JsonObject>consumer(Addresses.STATE_QUERY, m -> answer(m, lookups.query(EventQuery.fromJson(m.body()))))
            .completion(),
        bus.consumer(Addresses.STATE_STATS, this::onStats).completion());
  }

  /** Refuses new events, waits for the journal to take what it was given, then closes it. */
  @Override
  public Future<?> stop() {
    stopping = true;
    releaseHeldApplies();
    Future<Void> drained = lastCommit.transform(done -> Future.<Void>succeededFuture());
    return store == null ? drained : drained.compose(v -> store.close());
  }

  private Void adopt(Restored restored) {
    registry = restored.registry();
    history = restored.history();
    publishedSeq = registry.seq();
    epoch = store == null ? UUID.randomUUID().toString() : store.epoch();
    lookups = new Lookups(history, store, epoch);
    generation++;
    if (store != null) {
      LOG.info("restored {} sessions at seq {} from {} journal records (epoch {})", registry.sessionCount(),
          registry.seq(), restored.records(), epoch);
    }
    return null;
  }

  private void onApply(Message<JsonObject> message) {
    if (stopping || recovering) {
      FailureCode code = stopping ? FailureCode.SHUTTING_DOWN : FailureCode.STORE_UNAVAILABLE;
      message.fail(code.code(), stopping ? "hookbus is shutting down" : "the journal is recovering; retry shortly");
      return;
    }
    if (!waitingSyncs.isEmpty()) {
      heldApplies.add(message);
      return;
    }
    JsonArray events = message.body().getJsonArray("events");
    JsonArray seqs = new JsonArray();
    List<Transition> transitions = new ArrayList<>(events.size());
    long now = System.currentTimeMillis();
    for (int i = 0; i < events.size(); i++) {
      Applied applied = registry.apply(Json.event(events.getJsonObject(i)));
      transitions.add(Transition.accepted(applied, now));
      seqs.add(applied.seq());
    }
    rate.record(now, events.size());
    commit(transitions, OperationReplay.accepted(events))
        .onSuccess(v -> message.reply(new JsonObject().put("seqs", seqs)))
        .onFailure(e -> message.fail(FailureCode.STORE_UNAVAILABLE.code(),
            "the journal cannot be written (" + e.getMessage() + "); nothing was kept, retry shortly"));
  }

  private Future<Void> sweepIdle() {
    if (recovering || stopping) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    Transition closed = Transition.idle(registry.closeIdle(now), now);
    return closed == null ? Future.succeededFuture() : commit(List.of(closed), OperationReplay.idle(now));
  }

  /** @param operation the same transitions as an operation for the replicated log (cluster) */
  private Future<Void> commit(List<Transition> transitions, JsonObject operation) {
    int gen = generation;
    Future<Void> journaled = store == null ? Future.succeededFuture() : store.append(transitions);
    Future<Void> written = log == StateLog.NONE ? journaled
        : Future.all(journaled, log.append(operation)).mapEmpty();
    lastCommit = written
        .onSuccess(v -> transitions.forEach(t -> publish(t.envelopes())))
        .onFailure(e -> recover(gen, e));
    return written;
  }

  /** Drops everything applied but not journaled by rebuilding the state from the journal. */
  private void recover(int gen, Throwable failure) {
    if (gen != generation || recovering || stopping) {
      return;
    }
    recovering = true;
    LOG.error("journal write failed ({}); ingest answers 503 while the state is rebuilt from the journal",
        failure.getMessage());
    store.restore(config).onComplete(done -> {
      recovering = false;
      if (done.succeeded()) {
        adopt(done.result());
        flushSyncs();
      } else {
        LOG.error("rebuilding the state from the journal failed; staying on 503", done.cause());
        recovering = true;
      }
    });
  }

  private void publish(List<JsonObject> envelopes) {
    publishedSeq = publisher.publish(envelopes, history, publishedSeq);
    flushSyncs();
  }

  /**
   * A snapshot may only show what is journaled: syncs wait for the writes in flight, and new events wait for the
   * syncs (one fsync at most), so a sync is answered even under sustained load.
   */
  private void onSync(Message<Object> message) {
    waitingSyncs.add(message);
    flushSyncs();
  }

  private void flushSyncs() {
    if (recovering || registry.seq() != publishedSeq || waitingSyncs.isEmpty()) {
      return;
    }
    JsonObject snapshot = Json.snapshot(registry.snapshot()).put("epoch", epoch);
    waitingSyncs.forEach(m -> m.reply(snapshot));
    waitingSyncs.clear();
    releaseHeldApplies();
  }

  private void releaseHeldApplies() {
    List<Message<JsonObject>> held = heldApplies;
    heldApplies = new ArrayList<>();
    held.forEach(this::onApply);
  }

  private void onHistory(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("since") instanceof Number since)
        || since.longValue() < 0) {
      message.fail(FailureCode.INVALID_REQUEST.code(), "history needs {\"since\": seq} with seq >= 0");
      return;
    }
    answer(message, lookups.history(since.longValue(), publishedSeq).map(this::cutEvents));
  }

  /** Browsers get history cut as they get live envelopes; {@code GET /api/events/<seq>} has the full one. */
  private JsonObject cutEvents(JsonObject reply) {
    JsonArray events = reply.getJsonArray("events");
    if (events != null) {
      reply.put("events", new JsonArray(events.stream().map(e -> (Object) cutter.cut((JsonObject) e)).toList()));
    }
    return reply;
  }

  private void onStats(Message<Object> message) {
    message.reply(new JsonObject()
        .put("activeSessions", registry.sessionCount())
        .put("activeAgents", registry.agentCount())
        .put("eventsPerMinute", rate.perMinute(System.currentTimeMillis()))
        .put("seq", publishedSeq)
        .put("historySize", history.size())
        .put("epoch", epoch));
  }

  private static void answer(Message<?> message, Future<JsonObject> reply) {
    reply.onSuccess(message::reply).onFailure(e -> {
      if (e instanceof ReplyException r) {
        message.fail(r.failureCode(), r.getMessage());
      } else {
        LOG.warn("state read failed", e);
        message.fail(FailureCode.INTERNAL.code(), e.toString());
      }
    });
  }
}
