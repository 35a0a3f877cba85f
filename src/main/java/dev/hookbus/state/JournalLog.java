package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.config.StoreConfig;
import dev.hookbus.model.EventQuery;
import dev.hookbus.model.EventTypes;
import dev.hookbus.otlp.UsageReport;
import dev.hookbus.otlp.UsageRollup;
import dev.hookbus.store.Checkpoint;
import dev.hookbus.store.Disk;
import dev.hookbus.store.Journal;
import dev.hookbus.store.JournalRecord;
import dev.hookbus.store.SyncStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The journal as the state actor's log (a single node): writes go to the journal's own thread, reads and restore
 * to the worker pool, and every future completes on the actor's context. Never blocks the event loop.
 */
public final class JournalLog implements StateLog {
  private static final Logger LOG = LoggerFactory.getLogger(JournalLog.class);

  private static final byte[] USAGE_METRICS = EventTypes.USAGE_METRICS.getBytes(StandardCharsets.UTF_8);
  private static final byte[] USAGE_API_REQUEST = EventTypes.USAGE_API_REQUEST.getBytes(StandardCharsets.UTF_8);

  private final StoreConfig config;
  private final Disk disk;
  private Vertx vertx;
  private Context context;
  private Journal journal;
  private final boolean owned;
  /** Completions from the journal's thread, in its order, run on the actor's loop by {@link #drainCompleted}. */
  private final Queue<Runnable> completed = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Handler<Void> drainCompleted = v -> drainCompleted();

  public JournalLog(StoreConfig config, Disk disk) {
    this.config = config;
    this.disk = disk;
    this.owned = true;
  }

  /** Over a journal that is already open and stays open after {@link #close()} (a cluster node's, shared). */
  public JournalLog(StoreConfig config, Journal shared) {
    this.config = config;
    this.disk = null;
    this.journal = shared;
    this.owned = false;
  }

  /** Opens the journal; fails with a {@code StoreException} naming the path when it cannot. */
  @Override
  public Future<Void> open(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    if (!owned) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> Journal.open(config, disk), false)
        .onSuccess(opened -> journal = opened)
        .mapEmpty();
  }

  @Override
  public String epoch() {
    return journal.epoch();
  }

  /**
   * The checkpoint (when it fits this config) plus the records after it; the whole journal without one. After a
   * checkpoint the history window holds only what followed it: older envelopes are read from the journal.
   */
  @Override
  public Future<Restored> restore(SessionsConfig sessions, FieldCutter cutter) {
    return vertx.executeBlocking(() -> {
      long lastSeq = journal.durableSeq();
      JsonObject body = journal.checkpoint().map(c -> new JsonObject(Buffer.buffer(c.body()))).orElse(null);
      SessionRegistry saved = body == null ? null : RegistryCheckpoint.load(body, sessions, journal.epoch());
      if (saved == null && journal.checkpoint().isPresent()) {
        LOG.info("the checkpoint was taken under another tables/teams/idle setting: replaying the whole journal");
      }
      Replayer replayer = saved == null ? new Replayer(sessions, cutter, lastSeq)
          : new Replayer(sessions, cutter, saved);
      UsageRollup rollup = saved == null ? null : UsageRollup.fromJson(body.getJsonObject(UsageRollup.CHECKPOINT_KEY));
      replayer.foldUsageInto(rollup == null ? new UsageRollup(journal.firstSeq()) : rollup);
      journal.read(replayer.readFrom(), replayer::offer);
      Restored restored = replayer.finish(lastSeq);
      settle(restored.usage());
      return restored;
    }, false);
  }

  @Override
  public Future<Void> checkpoint(long seq, JsonObject registry) {
    byte[] body = registry.toBuffer().getBytes();
    // ordered: one checkpoint write at a time, so a later one never loses the rename to an earlier one
    return vertx.<Void>executeBlocking(() -> {
      journal.writeCheckpoint(new Checkpoint(seq, body));
      return null;
    }, true).onFailure(e -> LOG.warn("could not write the checkpoint at seq {}: {}", seq, e.toString()));
  }

  @Override
  public long checkpointEvery() {
    return config.checkpointEvents();
  }

  /** Completes once every record is on disk (per {@code store.fsync}); fails if any could not be written. */
  @Override
  public Future<Void> append(List<JournalRecord> records) {
    return onContext(journal.append(records));
  }

  @Override
  public Future<Optional<List<JsonObject>>> range(long after, long until, int max) {
    return vertx.executeBlocking(() -> {
      if (after + 1 < journal.firstSeq() || until - after > max) {
        return Optional.<List<JsonObject>>empty();
      }
      List<JsonObject> out = new ArrayList<>();
      scan(after + 1, envelope -> {
        long seq = envelope.getLong("seq");
        if (seq > until) {
          return false;
        }
        if (seq > after) {
          out.add(envelope);
        }
        return true;
      });
      boolean complete = out.isEmpty() ? after >= until : out.get(0).getLong("seq") == after + 1
          && out.get(out.size() - 1).getLong("seq") == until;
      return complete ? Optional.of(out) : Optional.<List<JsonObject>>empty();
    }, false);
  }

  @Override
  public Future<Optional<JsonObject>> query(EventQuery query, FieldCutter cutter) {
    return vertx.executeBlocking(() -> {
      Page page = new Page(query, cutter::cut);
      scan(query.after() + 1, page::offer);
      return Optional.of(page.toJson(journal.epoch()));
    }, false);
  }

  @Override
  public long firstSeq() {
    return journal.firstSeq();
  }

  @Override
  public Future<Optional<List<JsonObject>>> usageEnvelopes(long fromSeq, long toSeq) {
    return vertx.executeBlocking(() -> Optional.of(usageEnvelopesNow(fromSeq, toSeq)), false);
  }

  /**
   * The usage envelopes with seq in {@code [fromSeq, toSeq]}; blocking. Only records whose bytes name a usage type
   * are parsed: on a busy journal most are not.
   */
  private List<JsonObject> usageEnvelopesNow(long fromSeq, long toSeq) {
    List<JsonObject> out = new ArrayList<>();
    journal.read(fromSeq, record -> {
      if (record.firstSeq() > toSeq) {
        return false;
      }
      if (!contains(record.body(), USAGE_METRICS) && !contains(record.body(), USAGE_API_REQUEST)) {
        return true;
      }
      JsonArray envelopes = new JsonObject(Buffer.buffer(record.body())).getJsonArray(Transition.ENVELOPES);
      for (int i = 0; i < envelopes.size(); i++) {
        JsonObject envelope = envelopes.getJsonObject(i);
        long seq = envelope.getLong("seq");
        if (seq >= fromSeq && seq <= toSeq && UsageReport.counts(envelope.getString("type"))) {
          out.add(envelope);
        }
      }
      return true;
    });
    return out;
  }

  /** At a start: follows a retention cut the rollup has not seen, and folds again what it owes. Blocking. */
  private void settle(UsageRollup rollup) {
    rollup.cut(journal.firstSeq());
    for (UsageRollup.Range range : rollup.rereads()) {
      rollup.reread(range, usageEnvelopesNow(range.fromSeq(), range.toSeq()));
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public SyncStats syncStats() {
    return journal.syncStats();
  }

  @Override
  public void enforceRetention(long nowMs) {
    journal.enforceRetention(nowMs);
  }

  @Override
  public Future<Void> close() {
    return journal == null || !owned ? Future.succeededFuture() : onContext(journal.close());
  }

  /**
   * Completes on the actor's loop, in the order the journal completed. Not {@code Future.fromCompletionStage}: that
   * marks the future done on the journal thread, so a listener added a moment later on the loop would run at once,
   * ahead of earlier appends whose listeners are still queued, and envelopes would leave out of seq order.
   */
  private Future<Void> onContext(CompletableFuture<Void> done) {
    Promise<Void> promise = Promise.promise();
    done.whenComplete((v, failure) -> {
      completed.add(() -> {
        if (failure == null) {
          promise.complete();
        } else {
          promise.fail(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
        }
      });
      // One task on the actor's loop per group commit, not one per append: a group acks all its appends at once.
      if (draining.compareAndSet(false, true)) {
        context.runOnContext(drainCompleted);
      }
    });
    return promise.future();
  }

  private void drainCompleted() {
    draining.set(false);
    for (Runnable next = completed.poll(); next != null; next = completed.poll()) {
      next.run();
    }
  }

  private void scan(long fromSeq, Predicate<JsonObject> visitor) {
    journal.read(fromSeq, record -> {
      JsonArray envelopes = new JsonObject(Buffer.buffer(record.body())).getJsonArray(Transition.ENVELOPES);
      for (int i = 0; i < envelopes.size(); i++) {
        if (!visitor.test(envelopes.getJsonObject(i))) {
          return false;
        }
      }
      return true;
    });
  }
}
