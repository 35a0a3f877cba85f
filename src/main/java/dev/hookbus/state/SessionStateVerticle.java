package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.SharedJsonCodec;
import dev.hookbus.config.BroadcastConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventBatch;
import dev.hookbus.model.EventJson;
import dev.hookbus.model.EventQuery;
import dev.hookbus.otlp.UsageReport;
import dev.hookbus.store.SyncStats;
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
import java.util.Locale;

/**
 * The session-state actor: the only writer of session state. Deployed as exactly one instance (in a cluster, on the
 * leader only); everything runs on its event loop, so the registry needs no locks. It applies each event at once and
 * hands the transition to its {@link Keeper}, which keeps it in the {@link StateLog} and then publishes it; the hook
 * is answered only then. It also answers snapshots (once what they show is kept), history and stats.
 */
public class SessionStateVerticle extends VerticleBase implements Keeper.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStateVerticle.class);
  private static final long RETENTION_CHECK_MS = 10_000;
  /** How often a session whose usage changed gets its {@code usage:update}: at most once this often. */
  private static final long USAGE_UPDATE_MS = 1_000;

  private final SessionsConfig config;
  private final StateLog log;
  private final Fanout fanout;
  private final FieldCutter cutter;
  private final EventRate rate = new EventRate();
  private final Backpressure backpressure;
  private Keeper keeper;
  private Syncs syncs;
  private ApprovalDesk approvals;
  private boolean stopping;

  /**
   * @param log    where transitions are kept: {@link JournalLog}, a cluster's replicated log, or {@link StateLog#none()}
   * @param fanout how envelopes reach subscribers: on this node, or through the cluster's relay
   */
  public SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast, StateLog log, Fanout fanout) {
    this.config = config;
    this.cutter = new FieldCutter(broadcast.maxFieldChars());
    this.log = log;
    this.fanout = fanout;
    this.backpressure = new Backpressure(config);
  }

  /** Restores the state from the log, closes what went idle meanwhile, then takes requests. */
  @Override
  public Future<?> start() {
    keeper = new Keeper(config, log, vertx, fanout, cutter, this);
    syncs = new Syncs(keeper);
    approvals = new ApprovalDesk(vertx, keeper, () -> stopping || keeper.recovering());
    return log.open(vertx)
        .compose(v -> keeper.restore())
        .compose(v -> approvals.expireLeftovers())
        .compose(v -> sweepIdle())
        .compose(v -> {
          startTimers();
          return registerConsumers();
        });
  }

  private void startTimers() {
    long idleCheckMs = Math.max(250, Math.min(config.idleTimeoutMs() / 10, 60_000));
    vertx.setPeriodic(idleCheckMs, id -> sweepIdle());
    vertx.setPeriodic(USAGE_UPDATE_MS, id -> publishUsage());
    log.enforceRetention(System.currentTimeMillis());
    vertx.setPeriodic(RETENTION_CHECK_MS, id -> log.enforceRetention(System.currentTimeMillis()));
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<EventBatch>consumer(Addresses.STATE_APPLY, this::onApply).completion(),
        bus.consumer(Addresses.SYNC, this::onSync).completion(),
        bus.consumer(Addresses.HISTORY, this::onHistory).completion(),
        bus.<JsonObject>consumer(Addresses.STATE_EVENT,
            m -> answer(m, keeper.lookups().event(m.body().getLong("seq")))).completion(),
        bus.<JsonObject>consumer(Addresses.STATE_QUERY,
            m -> answer(m, keeper.lookups().query(EventQuery.fromJson(m.body())))).completion(),
        bus.<JsonObject>consumer(Addresses.STATE_USAGE, this::onUsage).completion(),
        bus.consumer(Addresses.STATE_STATS, this::onStats).completion(),
        bus.consumer(Addresses.APPROVALS_DECIDE, approvals::decide).completion(),
        bus.<JsonObject>consumer(Addresses.FANOUT_PROGRESS, m -> backpressure.bridgeAt(m.body().getString("bridge"),
            m.body().getLong("seq"), System.currentTimeMillis())).completion()));
  }

  /** Refuses new events, waits for the log to keep what it was given, then closes it. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return keeper.close();
  }

  private void onApply(Message<EventBatch> message) {
    if (stopping || keeper.recovering()) {
      if (!stopping) {
        keeper.health().refused(message.body().events().size());
      }
      FailureCode code = stopping ? FailureCode.SHUTTING_DOWN : FailureCode.STORE_UNAVAILABLE;
      message.fail(code.code(), stopping ? "hookbus is shutting down" : "the journal is recovering; retry shortly");
      return;
    }
    long now = System.currentTimeMillis();
    String overloaded = backpressure.refusal(keeper.unkeptBytes(), keeper.publishedSeq(), now);
    if (overloaded != null) {
      message.fail(FailureCode.OVERLOADED.code(), "hookbus is overloaded (" + overloaded + "); retry shortly");
      return;
    }
    List<Event> events = message.body().events();
    JsonArray seqs = new JsonArray(new ArrayList<>(events.size()));
    List<Transition> transitions = new ArrayList<>(events.size());
    for (Event event : events) {
      Applied applied = keeper.registry().apply(event);
      approvals.watch(applied);
      transitions.add(Transition.accepted(applied, now, keeper.views()));
      seqs.add(applied.seq());
    }
    rate.record(now, events.size());
    keeper.keep(transitions)
        .onSuccess(v -> message.reply(new JsonObject().put("seqs", seqs), SharedJsonCodec.DELIVERY))
        .onFailure(e -> {
          keeper.health().refused(events.size());
          message.fail(FailureCode.STORE_UNAVAILABLE.code(),
              "the journal cannot be written (" + e.getMessage() + "); nothing was kept, retry shortly");
        });
  }

  private Future<Void> sweepIdle() {
    if (keeper.recovering() || stopping) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    Transition closed = Transition.idle(keeper.registry().closeIdle(now), now, keeper.views());
    return closed == null ? Future.succeededFuture() : keeper.keep(List.of(closed));
  }

  private void publishUsage() {
    if (keeper.recovering() || stopping) {
      return;
    }
    long now = System.currentTimeMillis();
    Transition updates = Transition.usage(keeper.registry().usageUpdates(now), now, keeper.views());
    if (updates != null) {
      keeper.keep(List.of(updates));
    }
  }

  private void onSync(Message<Object> message) {
    syncs.add(message);
  }

  @Override
  public void published(long seq) {
    syncs.answer();
  }

  @Override
  public void rebuilt() {
    syncs.rebuilt();
  }

  private void onHistory(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("since") instanceof Number since)
        || since.longValue() < 0 || !(body.getValue("max", Lookups.PAGE_EVENTS) instanceof Number max)
        || max.intValue() < 1) {
      message.fail(FailureCode.INVALID_REQUEST.code(),
          "history needs {\"since\": seq} with seq >= 0, and optionally \"max\" >= 1");
      return;
    }
    answer(message, keeper.lookups().history(since.longValue(), max.intValue(), keeper.publishedSeq()));
  }

  private void onUsage(Message<JsonObject> message) {
    UsageReport.By by;
    try {
      by = UsageReport.By.valueOf(message.body().getString("by", "session").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(FailureCode.INVALID_REQUEST.code(), "by must be session, model or day");
      return;
    }
    if (keeper.recovering()) {
      message.fail(FailureCode.STORE_UNAVAILABLE.code(), "the journal is recovering; retry shortly");
      return;
    }
    answer(message, keeper.usage().report(by, message.body().getLong("since"), message.body().getLong("until")));
  }

  private void onStats(Message<Object> message) {
    SyncStats sync = keeper.syncStats();
    message.reply(new JsonObject()
        .put("activeSessions", keeper.registry().sessionCount())
        .put("activeAgents", keeper.registry().agentCount())
        .put("eventsPerMinute", rate.perMinute(System.currentTimeMillis()))
        .put("seq", keeper.publishedSeq())
        .put("historySize", keeper.historySize())
        .put("store", keeper.health().available() ? "available" : "unavailable")
        .put("storeRefusals", keeper.health().refusedEvents())
        .put("historyBytes", keeper.historyBytes())
        .put("unkeptBytes", keeper.unkeptBytes())
        .put("fanoutBacklog", backpressure.fanoutBacklog(keeper.publishedSeq(), System.currentTimeMillis()))
        .put("fanoutBridges", backpressure.bridges())
        .put("pendingSyncs", syncs.size())
        .put("journalFsyncs", sync.fsyncs())
        .put("journalFsyncNanos", sync.fsyncNanos())
        .put("journalAppends", sync.appends())
        .put("epoch", keeper.epoch())
        .put("usageByModel", usageByModel()));
  }

  /** {@code {model: {costUsd, tokens: {input, output, cacheRead, cacheCreation}, apiRequests}}}, ended sessions too. */
  private JsonObject usageByModel() {
    JsonObject models = new JsonObject();
    keeper.registry().usageByModel().forEach((model, usage) -> models.put(model, JsonObject.mapFrom(usage)));
    return models;
  }

  private static void answer(Message<?> message, Future<JsonObject> reply) {
    reply.onSuccess(message::reply).onFailure(e -> {
      if (e instanceof ReplyException r) {
        message.fail(r.failureCode(), r.getMessage());
      } else {
        LOG.warn("state read failed: {}", e.toString());
        message.fail(FailureCode.INTERNAL.code(), e.toString());
      }
    });
  }
}
