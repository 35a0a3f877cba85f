package dev.hookbus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The edge between the records and the JSON that goes to the journal, to browsers and across a cluster. */
public final class EventJson {
  private EventJson() {
  }

  /** An envelope as subscribers and the journal get it. The payload map is wrapped, not copied. */
  public static JsonObject envelope(Envelope e) {
    return new JsonObject()
        .put("seq", e.seq())
        .put("type", e.type())
        .put("timestamp", e.timestamp())
        .put("receivedAt", e.receivedAt())
        .put("sessionId", e.sessionId())
        .put("agentId", e.agentId())
        .put("payload", new JsonObject(e.payload()));
  }

  /** An event as it crosses the cluster's bus: the envelope form without a seq. */
  public static JsonObject event(Event e) {
    return new JsonObject()
        .put("type", e.type())
        .put("timestamp", e.timestamp())
        .put("receivedAt", e.receivedAt())
        .put("sessionId", e.sessionId())
        .put("agentId", e.agentId())
        .put("payload", new JsonObject(e.payload()));
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
