package dev.hookbus.store;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.config.StoreConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * The journal as the state actor sees it: every call returns a Future completed on the actor's context; writes go
 * to the journal's own thread, reads and restore to the worker pool. Never blocks the event loop.
 */
public final class EventStore {
  private final Vertx vertx;
  private final Context context;
  private final Journal journal;

  private EventStore(Vertx vertx, Context context, Journal journal) {
    this.vertx = vertx;
    this.context = context;
    this.journal = journal;
  }

  /** Opens the journal; fails with a {@link StoreException} naming the path when it cannot. */
  public static Future<EventStore> open(Vertx vertx, StoreConfig config, Disk disk) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> Journal.open(config, disk), false)
        .map(journal -> new EventStore(vertx, context, journal));
  }

  public String epoch() {
    return journal.epoch();
  }

  public Future<Restored> restore(SessionsConfig config) {
    return vertx.executeBlocking(() -> Replayer.replay(journal, config), false);
  }

  /** Completes once every record is on disk (per {@code store.fsync}); fails if any could not be written. */
  public Future<Void> append(List<Transition> transitions) {
    List<JournalRecord> records = new ArrayList<>(transitions.size());
    transitions.forEach(t -> records.add(t.record()));
    return onContext(journal.append(records));
  }

  /** The durable envelopes with seq in {@code (after, until]}; empty when the journal no longer reaches back. */
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

  public Future<JsonObject> query(EventQuery query) {
    return vertx.executeBlocking(() -> {
      Page page = new Page(query);
      scan(query.after() + 1, page::offer);
      return page.toJson(journal.epoch());
    }, false);
  }

  public Future<Void> enforceRetention(long nowMs) {
    return onContext(journal.enforceRetention(nowMs));
  }

  public Future<Void> close() {
    return onContext(journal.close());
  }

  /**
   * Completes on the actor's loop, in the order the journal completed. Not {@code Future.fromCompletionStage}: that
   * marks the future done on the journal thread, so a listener added a moment later on the loop would run at once,
   * ahead of earlier appends whose listeners are still queued, and envelopes would leave out of seq order.
   */
  private Future<Void> onContext(CompletableFuture<Void> done) {
    Promise<Void> promise = Promise.promise();
    done.whenComplete((v, failure) -> context.runOnContext(x -> {
      if (failure == null) {
        promise.complete();
      } else {
        promise.fail(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
      }
    }));
    return promise.future();
  }

  private void scan(long fromSeq, Predicate<JsonObject> visitor) {
    journal.read(fromSeq, record -> {
      JsonArray envelopes = new JsonObject(Buffer.buffer(record.body())).getJsonArray("e");
      for (int i = 0; i < envelopes.size(); i++) {
        if (!visitor.test(envelopes.getJsonObject(i))) {
          return false;
        }
      }
      return true;
    });
  }
}
