package dev.hookbus.state;

import dev.hookbus.model.EventQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Collects one page of a query: matching envelopes in seq order, and the cursor to continue after (the last seq
 * looked at) when the page filled up or the scan budget ran out; no cursor once the end was reached. A page holds
 * envelopes as browsers get them ({@code shape}: the {@link FieldCutter}, or nothing for ones already cut).
 */
final class Page {
  private final EventQuery query;
  private final UnaryOperator<JsonObject> shape;
  private final List<JsonObject> events = new ArrayList<>();
  private long lastSeen;
  private int scanned;
  private boolean more;

  Page(EventQuery query, UnaryOperator<JsonObject> shape) {
    this.query = query;
    this.shape = shape;
    this.lastSeen = query.after();
  }

  /** Offers the next envelope (seq order); false when the page is done. */
  boolean offer(JsonObject envelope) {
    long seq = envelope.getLong("seq");
    if (seq <= query.after()) {
      return true;
    }
    if (events.size() >= query.limit() || scanned >= EventQuery.MAX_SCAN) {
      more = true;
      return false;
    }
    scanned++;
    lastSeen = seq;
    if (query.matches(envelope)) {
      events.add(shape.apply(envelope));
    }
    return true;
  }

  JsonObject toJson(String epoch) {
    return new JsonObject().put("events", new JsonArray(new ArrayList<>(events)))
        .put("next", more ? lastSeen : null).put("last", lastSeen).put("epoch", epoch);
  }
}
