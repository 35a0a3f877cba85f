package dev.hookbus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The edge between the records and the JSON that goes to the journal, to browsers and across a cluster. */
public final class EventJson {
  private EventJson() {
  }

  /** An envelope as subscribers and the journal get it. The payload map is wrapped, not copied. */
  public static JsonObject envelope(Envelope e) {
    return envelope(e, new JsonObject());
  }

  /** The same, written into {@code into} (an empty object). */
  public static JsonObject envelope(Envelope e, JsonObject into) {
    return fields(into.put("seq", e.seq()), e.type(), e.timestamp(), e.receivedAt(), e.sessionId(), e.agentId(),
        e.payload());
  }

  /** An event as it crosses the cluster's bus: the envelope form without a seq. */
  public static JsonObject event(Event e) {
    return fields(new JsonObject(), e.type(), e.timestamp(), e.receivedAt(), e.sessionId(), e.agentId(), e.payload());
  }

  private static JsonObject fields(JsonObject json, String type, long timestamp, long receivedAt, String sessionId,
                                   String agentId, Map<String, Object> payload) {
    return json.put("type", type).put("timestamp", timestamp).put("receivedAt", receivedAt)
        .put("sessionId", sessionId).put("agentId", agentId).put("payload", new JsonObject(payload));
  }

  /** The event inside an envelope or an {@link #event(Event)} JSON; the JSON was validated when it came in. */
  public static Event event(JsonObject json) {
    return new Event(json.getString("type"), json.getLong("timestamp"), json.getLong("receivedAt"),
        json.getString("sessionId"), json.getString("agentId"), json.getJsonObject("payload").getMap());
  }

  public static JsonObject batch(EventBatch batch) {
    JsonArray events = new JsonArray(new ArrayList<>(batch.events().size()));
    batch.events().forEach(e -> events.add(event(e)));
    return new JsonObject().put("events", events);
  }

  public static EventBatch batch(JsonObject json) {
    JsonArray events = json.getJsonArray("events");
    List<Event> list = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      list.add(event(events.getJsonObject(i)));
    }
    return new EventBatch(list);
  }

  public static JsonObject snapshot(Snapshot snapshot) {
    return JsonObject.mapFrom(snapshot);
  }
}
