package dev.hookbus.model;

import io.vertx.core.json.JsonObject;

/**
 * A page request on the event history: envelopes with seq after {@code after}, optionally of one session and one
 * type and received in {@code [sinceMs, untilMs)}, at most {@code limit}.
 */
public record EventQuery(long after, String session, String type, Long sinceMs, Long untilMs, int limit) {
  public static final int MAX_LIMIT = 1000;
  /** How many envelopes one page may look at before it returns what it has with a cursor. */
  public static final int MAX_SCAN = 200_000;

  public boolean matches(JsonObject envelope) {
    if (session != null && !session.equals(envelope.getString("sessionId"))) {
      return false;
    }
    if (type != null && !type.equals(envelope.getString("type"))) {
      return false;
    }
    long received = envelope.getLong("receivedAt", 0L);
    return (sinceMs == null || received >= sinceMs) && (untilMs == null || received < untilMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("after", after).put("session", session).put("type", type).put("since", sinceMs)
        .put("until", untilMs).put("limit", limit);
  }

  public static EventQuery fromJson(JsonObject json) {
    return new EventQuery(json.getLong("after", 0L), json.getString("session"), json.getString("type"),
        json.getLong("since"), json.getLong("until"), json.getInteger("limit", 100));
  }
}
