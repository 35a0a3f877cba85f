package dev.hookbus.store;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.state.History;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * Reads of past envelopes for the state actor: from the in-memory window when it reaches, else from the journal
 * (when there is one). Runs on the actor's loop; journal reads go to the worker pool.
 */
public final class Lookups {
  /** The most envelopes one history reply carries from the journal; a longer gap means "resync". */
  public static final int MAX_REPLAY = 100_000;

  private final History<JsonObject> history;
  private final EventStore store;
  private final String epoch;

  public Lookups(History<JsonObject> history, EventStore store, String epoch) {
    this.history = history;
    this.store = store;
    this.epoch = epoch;
  }

  /** The {@code hookbus.history} reply for a client whose last seq is {@code since}. */
  public Future<JsonObject> history(long since, long publishedSeq) {
    Optional<List<JsonObject>> missed = history.since(since);
    if (missed.isPresent() || store == null) {
      return Future.succeededFuture(historyReply(missed, publishedSeq));
    }
    return store.range(since, publishedSeq, MAX_REPLAY).map(found -> historyReply(found, publishedSeq));
  }

  /** One envelope by seq, or a NOT_FOUND failure. */
  public Future<JsonObject> event(long seq) {
    Optional<JsonObject> inMemory = history.get(seq);
    if (inMemory.isPresent() || store == null) {
      return inMemory.map(Future::succeededFuture).orElseGet(() -> notFound(seq));
    }
    return store.range(seq - 1, seq, 1).compose(found -> found.filter(list -> !list.isEmpty())
        .map(list -> Future.succeededFuture(list.get(0))).orElseGet(() -> notFound(seq)));
  }

  public Future<JsonObject> query(EventQuery query) {
    Optional<List<JsonObject>> window = history.since(query.after());
    if (window.isEmpty() && store != null) {
      return store.query(query);
    }
    List<JsonObject> candidates = window.orElseGet(() -> history.since(history.firstSeq() - 1).orElse(List.of()));
    Page page = new Page(query);
    for (JsonObject envelope : candidates) {
      if (!page.offer(envelope)) {
        break;
      }
    }
    return Future.succeededFuture(page.toJson(epoch));
  }

  private JsonObject historyReply(Optional<List<JsonObject>> missed, long publishedSeq) {
    JsonObject reply = new JsonObject().put("seq", publishedSeq).put("epoch", epoch)
        .put("recovered", missed.isPresent());
    missed.ifPresent(events -> reply.put("events", new JsonArray(List.copyOf(events))));
    return reply;
  }

  private static Future<JsonObject> notFound(long seq) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, FailureCode.NOT_FOUND.code(),
        "no event with seq " + seq + " (not yet, or gone to retention)"));
  }
}
