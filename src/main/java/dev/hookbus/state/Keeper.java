package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import dev.hookbus.bus.EncodedJson;
import dev.hookbus.bus.Fanout;
import dev.hookbus.model.EventTypes;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.store.JournalRecord;
import dev.hookbus.store.SyncStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The state actor's second half: owns what is kept. Each transition goes to the {@link StateLog}; once the log has
 * it, its envelopes go into the history window and out to subscribers, in seq order (the log completes in append
 * order). When a write fails, the state is rebuilt from the log, so nothing that was not kept stays in memory;
 * meanwhile {@link #recovering()} is true. Runs on the actor's event loop only.
 */
final class Keeper {
  private static final Logger LOG = LoggerFactory.getLogger(Keeper.class);

  /** Told after envelopes went out, and after a rebuild (with nothing published). */
  interface Listener {
    void published(long seq);

    void rebuilt();
  }

  private final SessionsConfig config;
  private final StateLog log;
  private final EventBus bus;
  private final Fanout fanout;
  private final FieldCutter cutter;
  private final Vertx vertx;
  private final Listener listener;
  private final StoreHealth health = new StoreHealth();
  private final Checkpointer checkpointer;
  private SessionRegistry registry;
  private ViewChanges views;
  private History<String> history;
  private Lookups lookups;
  private UsageLedger usage;
  private long publishedSeq;
  private long unkeptBytes;
  private int generation;
  private boolean recovering;
  private boolean closing;
  private Future<Void> lastCommit = Future.succeededFuture();

  Keeper(SessionsConfig config, StateLog log, Vertx vertx, Fanout fanout, FieldCutter cutter, Listener listener) {
    this.config = config;
    this.log = log;
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.fanout = fanout;
    this.cutter = cutter;
    this.listener = listener;
    this.checkpointer = new Checkpointer(log, config, () -> usage.checkpoint());
  }

  /** Rebuilds the state from the log. */
  Future<Void> restore() {
    return log.restore(config, cutter).map(restored -> {
      registry = restored.registry();
      views = new ViewChanges(registry);
      history = restored.history();
      lookups = new Lookups(vertx, history, log, cutter);
      usage = new UsageLedger(restored.usage(), log, history);
      publishedSeq = registry.seq();
      checkpointer.restored(publishedSeq);
      generation++;
      if (restored.records() > 0 && generation == 1) {
        LOG.info("restored {} sessions at seq {} from {} kept records (epoch {})", registry.sessionCount(),
            registry.seq(), restored.records(), log.epoch());
      }
      return null;
    });
  }

  SessionRegistry registry() {
    return registry;
  }

  /** What transitions change in the sessions' views, against what clients were last shown. */
  ViewChanges views() {
    return views;
  }

  Lookups lookups() {
    return lookups;
  }

  /** The usage totals of every kept usage envelope, for {@code GET /api/usage}. */
  UsageLedger usage() {
    return usage;
  }

  int historySize() {
    return history.size();
  }

  long historyBytes() {
    return history.bytes();
  }

  /** Bytes of records handed to the log that it has not kept yet (its queue, or replicas not answering). */
  long unkeptBytes() {
    return unkeptBytes;
  }

  /** The last seq that is kept and published: what a snapshot may show. */
  long publishedSeq() {
    return publishedSeq;
  }

  /** Whether the last write was kept, and how many events were refused because the log could not keep them. */
  StoreHealth health() {
    return health;
  }

  boolean recovering() {
    return recovering;
  }

  String epoch() {
    return log.epoch();
  }

  SyncStats syncStats() {
    return log.syncStats();
  }

  /**
   * Keeps the transitions, then publishes them; fails (and starts a rebuild) when the log could not keep them. The
   * returned future completes as soon as they are kept, before they are published, so that the hook's reply
   * leaves first; the publishing follows in the same turn of the actor's loop.
   */
  Future<Void> keep(List<Transition> transitions) {
    int gen = generation;
    List<JournalRecord> records = new ArrayList<>(transitions.size());
    long bytes = 0;
    for (Transition transition : transitions) {
      records.add(transition.record());
      bytes += transition.record().body().length;
    }
    long appended = bytes;
    unkeptBytes += appended;
    Promise<Void> kept = Promise.promise();
    lastCommit = log.append(records).onComplete(done -> {
      unkeptBytes -= appended;
      if (done.succeeded()) {
        health.writeSucceeded();
        kept.complete();
        publish(transitions);
      } else {
        health.writeFailed(done.cause());
        kept.fail(done.cause());
        rebuild(gen, done.cause());
      }
    });
    return kept.future();
  }

  /** Waits for the writes in flight, saves a last checkpoint (the next start replays nothing), closes the log. */
  Future<Void> close() {
    closing = true;
    return lastCommit.transform(done -> {
      boolean clean = done.succeeded() && !recovering && registry.seq() == publishedSeq;
      Future<Void> saved = clean ? checkpointer.last(registry) : Future.succeededFuture();
      return saved.transform(v -> log.close());
    });
  }

  private void publish(List<Transition> transitions) {
    for (Transition transition : transitions) {
      for (JsonObject envelope : transition.envelopes()) {
        publishedSeq = envelope.getLong("seq");
        JsonObject cut = cutter.cut(envelope);
        // The journal's text when nothing was cut, else made here once; the bridges reuse it. The window keeps only
        // the text: a tree of maps per envelope, each promoted and then dropped, made the collector's old generation
        // churn at full rate.
        String text = EncodedJson.encode(cut);
        history.add(publishedSeq, text, EnvelopeBytes.ofText(text));
        fanout.publish(bus, cut);
        usage.published(envelope);
        String type = envelope.getString("type");
        if (type.startsWith(EventTypes.APPROVAL_PREFIX) && !type.equals(EventTypes.APPROVAL_PENDING)) {
          // Uncut: the ingest instance that holds the hook answers with the decision exactly as it was given.
          bus.publish(Addresses.APPROVAL_OUTCOMES, envelope.getJsonObject("payload"));
        }
        if (type.equals("session:end")) {
          LOG.info("session {} closed ({})", envelope.getString("sessionId"),
              envelope.getJsonObject("payload").getValue("reason", "end"));
        }
      }
    }
    listener.published(publishedSeq);
    if (!closing) {
      checkpointer.published(registry, publishedSeq);
    }
  }

  private void rebuild(int gen, Throwable failure) {
    if (gen != generation || recovering || closing) {
      return;
    }
    recovering = true;
    // Once per failed write, so DEBUG: StoreHealth says it once when writes start failing.
    LOG.debug("the log could not keep a transition ({}); rebuilding the state from it", failure.getMessage());
    restore().onComplete(done -> {
      if (done.succeeded()) {
        recovering = false;
        listener.rebuilt();
      } else {
        LOG.error("rebuilding the state from the log failed; staying on 503: {}", done.cause().toString());
      }
    });
  }
}
