package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.Fanout;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.config.BroadcastConfig;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Json;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session-state actor: the only writer of session state. Deployed as exactly one instance; everything
 * runs on its event loop, so the registry needs no locks and envelopes leave in seq order.
 */
public class SessionStateVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStateVerticle.class);

  private final SessionsConfig config;
  private final FieldCutter cutter;
  private final StateLog log;
  private final Fanout fanout;
  private final EventRate rate = new EventRate();
  private SessionRegistry registry;
  private History<JsonObject> history;

  public SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast) {
    this(config, broadcast, StateLog.NONE, Fanout.DIRECT);
  }

  /** With a log that must hold each operation before it takes effect outside, and a way to reach subscribers. */
  public SessionStateVerticle(SessionsConfig config, BroadcastConfig broadcast, StateLog log, Fanout fanout) {
    this.config = config;
    this.cutter = new FieldCutter(broadcast.maxFieldChars());
    this.log = log;
    this.fanout = fanout;
  }

  @Override
  public Future<?> start() {
    registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    history = new History<>(config.historySize());
    List<JsonObject> recovered = log.recovered();
    recovered.forEach(op -> replay(op).forEach(e -> history.add(e.seq(), Json.envelope(e))));
    if (!recovered.isEmpty()) {
      LOG.info("state rebuilt from {} operations, seq {}", recovered.size(), registry.seq());
    }
    long idleCheckMs = Math.max(250, Math.min(config.idleTimeoutMs() / 10, 60_000));
    vertx.setPeriodic(idleCheckMs, id -> closeIdle());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.STATE_APPLY, this::onApply).completion(),
        bus.consumer(Addresses.SYNC, this::onSync).completion(),
        bus.consumer(Addresses.HISTORY, this::onHistory).completion(),
        bus.consumer(Addresses.STATE_EVENT, this::onEvent).completion(),
        bus.consumer(Addresses.STATE_STATS, this::onStats).completion());
  }

  private void onApply(Message<JsonObject> message) {
    JsonArray events = message.body().getJsonArray("events");
    JsonArray seqs = new JsonArray();
    List<Envelope> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Applied applied = registry.apply(Json.event(events.getJsonObject(i)));
      out.addAll(applied.envelopes());
      seqs.add(applied.seq());
    }
    rate.record(System.currentTimeMillis(), events.size());
    log.append(new JsonObject().put("events", events)).onSuccess(v -> {
      publish(out);
      message.reply(new JsonObject().put("seqs", seqs));
    });
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    List<Envelope> closed = registry.closeIdle(now);
    if (!closed.isEmpty()) {
      log.append(new JsonObject().put("idleAt", now)).onSuccess(v -> publish(closed));
    }
  }

  /** Applies a logged operation again, exactly as the first time. */
  private List<Envelope> replay(JsonObject op) {
    if (op.containsKey("idleAt")) {
      return registry.closeIdle(op.getLong("idleAt"));
    }
    List<Envelope> out = new ArrayList<>();
    op.getJsonArray("events").forEach(e -> out.addAll(registry.apply(Json.event((JsonObject) e)).envelopes()));
    return out;
  }

  private void publish(List<Envelope> envelopes) {
    EventBus bus = vertx.eventBus();
    for (Envelope envelope : envelopes) {
      JsonObject full = Json.envelope(envelope);
      history.add(envelope.seq(), full);
      fanout.publish(bus, cutter.cut(full));
      if (envelope.type().equals("session:end")) {
        LOG.info("session {} closed ({})", envelope.sessionId(), envelope.payload().getOrDefault("reason", "end"));
      }
    }
  }

  private void onSync(Message<Object> message) {
    message.reply(Json.snapshot(registry.snapshot()));
  }

  private void onHistory(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("since") instanceof Number since)
        || since.longValue() < 0) {
      message.fail(FailureCode.INVALID_REQUEST.code(), "history needs {\"since\": seq} with seq >= 0");
      return;
    }
    Optional<List<JsonObject>> missed = history.since(since.longValue());
    JsonObject reply = new JsonObject().put("seq", registry.seq()).put("recovered", missed.isPresent());
    missed.ifPresent(events -> reply.put("events", new JsonArray(events.stream().map(cutter::cut).toList())));
    message.reply(reply);
  }

  private void onEvent(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("seq") instanceof Number seq)) {
      message.fail(FailureCode.INVALID_REQUEST.code(), "event lookup needs {\"seq\": n}");
      return;
    }
    history.get(seq.longValue()).ifPresentOrElse(message::reply,
        () -> message.fail(FailureCode.NOT_FOUND.code(), "event " + seq.longValue() + " is not in history"
            + " (it holds the last " + config.historySize() + " events)"));
  }

  private void onStats(Message<Object> message) {
    message.reply(new JsonObject()
        .put("activeSessions", registry.sessionCount())
        .put("activeAgents", registry.agentCount())
        .put("eventsPerMinute", rate.perMinute(System.currentTimeMillis()))
        .put("seq", registry.seq())
        .put("historySize", history.size()));
  }
}
