package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads of past envelopes for the state actor: from the in-memory window when it reaches, else from the log
 * (when it keeps them). The window holds what browsers get (long strings cut); a whole envelope comes from the log.
 * Runs on the actor's loop; log reads go to the worker pool.
 */
final class Lookups {
  /** Envelopes per history page unless the request asks for fewer ({@code max}), and the most it may ask. */
  static final int PAGE_EVENTS = 500;
  static final int MAX_PAGE_EVENTS = 1000;
  /**
   * Estimated bytes ({@link EnvelopeBytes}, heap, which is more than the encoded size: two bytes a character for the
   * window's texts) per history page: a page must reach a browser whole, so it stays under the bridge's per-socket
   * queue ({@code bridge.maxQueuedBytesPerSocket}, 1 MiB by default) even when SockJS framing doubles the escapes of
   * a body full of quotes and newlines, and under the 256 KiB a default Vert.x WebSocket client takes in one message.
   */
  static final long PAGE_BYTES = 192 * 1024;
  /** Envelopes read from the log per page: they are whole there, and cut only once read. */
  static final int LOG_PAGE_EVENTS = 64;

  private final Vertx vertx;
  private final History<String> history;
  private final StateLog log;
  private final FieldCutter cutter;

  Lookups(Vertx vertx, History<String> history, StateLog log, FieldCutter cutter) {
    this.vertx = vertx;
    this.history = history;
    this.log = log;
    this.cutter = cutter;
  }

  /**
   * One page of the {@code hookbus.history} reply for a client whose last seq is {@code since}: at most {@code max}
   * envelopes and about {@link #PAGE_BYTES}, cut as browsers get live envelopes ({@code GET /api/events/<seq>} has
   * the full one), from the window or else from the log; {@code more:true} when the client should ask again after
   * the last one. {@code recovered:false} when neither reaches back to {@code since}.
   */
  Future<JsonObject> history(long since, int max, long publishedSeq) {
    int pageEvents = Math.max(1, Math.min(max, MAX_PAGE_EVENTS));
    Optional<List<String>> missed = history.since(since, pageEvents, PAGE_BYTES);
    if (missed.isPresent()) {
      return Future.succeededFuture(historyReply(missed.map(texts -> texts.stream().map(EncodedJson::parse).toList()),
          publishedSeq));
    }
    long until = Math.min(publishedSeq, since + Math.min(pageEvents, LOG_PAGE_EVENTS));
    return log.range(since, until, LOG_PAGE_EVENTS)
        .map(found -> historyReply(found.map(this::cutPage), publishedSeq));
  }

  /**
   * One envelope by seq, whole: from the window when its copy there was not cut, else from the log. Without a log
   * to read (no journal) a cut copy is all there is, and it says so ({@code truncated:true}). Else NOT_FOUND.
   */
  Future<JsonObject> event(long seq) {
    Optional<JsonObject> inMemory = history.get(seq).map(EncodedJson::parse);
    if (inMemory.isPresent() && !inMemory.get().getBoolean("truncated", false)) {
      return Future.succeededFuture(inMemory.get());
    }
    return log.range(seq - 1, seq, 1).compose(found -> found.filter(list -> !list.isEmpty())
        .map(list -> Future.succeededFuture(list.get(0)))
        .or(() -> inMemory.map(Future::succeededFuture))
        .orElseGet(() -> notFound(seq)));
  }

  Future<JsonObject> query(EventQuery query) {
    Optional<List<String>> window = history.since(query.after());
    if (window.isPresent()) {
      return scan(query, window.get());
    }
    return log.query(query, cutter).compose(fromLog -> fromLog.map(Future::succeededFuture)
        .orElseGet(() -> scan(query, history.since(history.firstSeq() - 1).orElse(List.of()))));
  }

  /**
   * Reads the window's texts one at a time until the page is full, on a worker: a query that few envelopes match
   * reads the whole window (10 000 by default, about 75 ms), which the actor's loop must not wait for.
   */
  private Future<JsonObject> scan(EventQuery query, List<String> candidates) {
    String epoch = log.epoch();
    return vertx.executeBlocking(() -> {
      Page page = new Page(query, UnaryOperator.identity());
      for (String envelope : candidates) {
        if (!page.offer(EncodedJson.parse(envelope))) {
          break;
        }
      }
      return page.toJson(epoch);
    }, false);
  }

  private JsonObject historyReply(Optional<List<JsonObject>> missed, long publishedSeq) {
    JsonObject reply = new JsonObject().put("seq", publishedSeq).put("epoch", log.epoch())
        .put("recovered", missed.isPresent());
    missed.ifPresent(events -> reply.put("events", new JsonArray(new ArrayList<>(events)))
        .put("more", !events.isEmpty() && events.get(events.size() - 1).getLong("seq") < publishedSeq));
    return reply;
  }

  /** Cuts what the log returned and keeps what fits in one page (at least one envelope). */
  private List<JsonObject> cutPage(List<JsonObject> envelopes) {
    List<JsonObject> page = new ArrayList<>(envelopes.size());
    long bytes = 0;
    for (JsonObject envelope : envelopes) {
      JsonObject cut = cutter.cut(envelope);
      bytes += EnvelopeBytes.of(cut);
      if (!page.isEmpty() && bytes > PAGE_BYTES) {
        break;
      }
      page.add(cut);
    }
    return page;
  }

  private static Future<JsonObject> notFound(long seq) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, FailureCode.NOT_FOUND.code(),
        "no event with seq " + seq + " (not yet, or gone to retention)"));
  }
}
