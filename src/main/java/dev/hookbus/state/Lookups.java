package dev.hookbus.state;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventQuery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of past envelopes for the state actor: from the in-memory window when it reaches, else from the log
 * (when it keeps them). Runs on the actor's loop; log reads go to the worker pool.
 */
final class Lookups {
  /** The most envelopes one history reply carries from the log; a longer gap means "resync". */
  static final int MAX_REPLAY = 100_000;

  private final History<JsonObject> history;
  private final StateLog log;
  private final FieldCutter cutter;

  Lookups(History<JsonObject> history, StateLog log, FieldCutter cutter) {
    this.history = history;
    this.log = log;
    this.cutter = cutter;
  }

  /**
   * The {@code hookbus.history} reply for a client whose last seq is {@code since}. Browsers get it cut as they get
   * live envelopes; {@code GET /api/events/<seq>} has the full one.
   */
  Future<JsonObject> history(long since, long publishedSeq) {
    Optional<List<JsonObject>> missed = history.since(since);
    if (missed.isPresent()) {
      return Future.succeededFuture(historyReply(missed, publishedSeq));
    }
    return log.range(since, publishedSeq, MAX_REPLAY).map(found -> historyReply(found, publishedSeq));
  }

  /** One envelope by seq, or a NOT_FOUND failure. */
  Future<JsonObject> event(long seq) {
    Optional<JsonObject> inMemory = history.get(seq);
    if (inMemory.isPresent()) {
      return Future.succeededFuture(inMemory.get());
    }
    return log.range(seq - 1, seq, 1).compose(found -> found.filter(list -> !list.isEmpty())
        .map(list -> Future.succeededFuture(list.get(0))).orElseGet(() -> notFound(seq)));
  }

  Future<JsonObject> query(EventQuery query) {
    Optional<List<JsonObject>> window = history.since(query.after());
    if (window.isPresent()) {
      return Future.succeededFuture(page(query, window.get()));
    }
    return log.query(query).map(fromLog -> fromLog.orElseGet(
        () -> page(query, history.since(history.firstSeq() - 1).orElse(List.of()))));
  }

  private JsonObject page(EventQuery query, List<JsonObject> candidates) {
    Page page = new Page(query);
    for (JsonObject envelope : candidates) {
      if (!page.offer(envelope)) {
        break;
      }
    }
    return page.toJson(log.epoch());
  }

  private JsonObject historyReply(Optional<List<JsonObject>> missed, long publishedSeq) {
    JsonObject reply = new JsonObject().put("seq", publishedSeq).put("epoch", log.epoch())
        .put("recovered", missed.isPresent());
    missed.ifPresent(events -> {
      JsonArray cut = new JsonArray(new ArrayList<>(events.size()));
      events.forEach(e -> cut.add(cutter.cut(e)));
      reply.put("events", cut);
    });
    return reply;
  }

  private static Future<JsonObject> notFound(long seq) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, FailureCode.NOT_FOUND.code(),
        "no event with seq " + seq + " (not yet, or gone to retention)"));
  }
}
