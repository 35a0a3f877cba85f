package dev.hookbus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The edge between records and the JSON that travels on the bus and over the bridge. */
public final class Json {
  private Json() {
  }

  public static JsonObject envelope(Envelope e) {
    return fields(new JsonObject().put("seq", e.seq()),
        new Event(e.type(), e.timestamp(), e.receivedAt(), e.sessionId(), e.agentId(), e.payload()));
  }

  public static JsonObject event(Event e) {
    return fields(new JsonObject(), e);
  }

  private static JsonObject fields(JsonObject json, Event e) {
    return json
        .put("type", e.type())
        .put("timestamp", e.timestamp())
        .put("receivedAt", e.receivedAt())
        .put("sessionId", e.sessionId())
        .put("agentId", e.agentId())
        .put("payload", new JsonObject(e.payload()));
  }

  /** The inverse of {@link #event(Event)}; the JSON was validated by ingest. */
  public static Event event(JsonObject json) {
    return new Event(json.getString("type"), json.getLong("timestamp"), json.getLong("receivedAt"),
        json.getString("sessionId"), json.getString("agentId"), json.getJsonObject("payload").getMap());
  }

  public static JsonArray events(Iterable<Event> events) {
    JsonArray array = new JsonArray();
    events.forEach(e -> array.add(event(e)));
    return array;
  }

  public static JsonObject snapshot(Snapshot snapshot) {
    return JsonObject.mapFrom(snapshot);
  }
}
