package dev.hookbus.state;

import dev.hookbus.model.UsageSum;
import dev.hookbus.model.Event;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * The usage of sessions that ended. Claude Code exports once more as it exits, often after SessionEnd; those points
 * count for the session that ended instead of opening it again. The last {@link #KEPT} ended sessions are kept by
 * id; older ones only in the totals by model.
 */
final class EndedUsage {
  static final int KEPT = 1000;

  private final Map<String, Usage> recent = new LinkedHashMap<>();
  private final Map<String, UsageSum> older = new LinkedHashMap<>();

  void keep(Session session) {
    if (session.usage == null) {
      return;
    }
    recent.put(session.sessionId, session.usage);
    if (recent.size() > KEPT) {
      String oldest = recent.keySet().iterator().next();
      add(older, recent.remove(oldest));
    }
  }

  /** A usage event of a session that ended lately. */
  boolean takes(Event event) {
    return event.sessionId() != null && event.type().startsWith("usage:") && recent.containsKey(event.sessionId());
  }

  /** Adds it to the ended session's usage; returns the payload its envelope carries. */
  Map<String, Object> apply(Event event) {
    Usage usage = recent.get(event.sessionId());
    if (event.type().equals(USAGE_METRICS)) {
      return UsageRules.metrics(usage, event.payload());
    }
    if (event.type().equals(USAGE_API_REQUEST)) {
      Session stand = new Session(event.sessionId(), "", event.receivedAt());
      stand.usage = usage;
      UsageRules.apply(stand, event);
    }
    return event.payload();
  }

  void addTo(Map<String, UsageSum> totals) {
    older.forEach((model, t) -> totals.computeIfAbsent(model, m -> new UsageSum()).add(t));
    recent.values().forEach(usage -> add(totals, usage));
  }

  JsonObject toJson() {
    JsonObject recentJson = new JsonObject();
    recent.forEach((id, usage) -> recentJson.put(id, usage.toJson()));
    JsonObject olderJson = new JsonObject();
    older.forEach((model, t) -> olderJson.put(model, t.toJson()));
    return new JsonObject().put("recent", recentJson).put("older", olderJson);
  }

  void load(JsonObject json) {
    json.getJsonObject("recent").forEach(e -> recent.put(e.getKey(), Usage.fromJson((JsonObject) e.getValue())));
    json.getJsonObject("older").forEach(e -> older.put(e.getKey(), UsageSum.fromJson((JsonObject) e.getValue())));
  }

  static void add(Map<String, UsageSum> totals, Usage usage) {
    usage.byModel().forEach((model, t) -> totals.computeIfAbsent(model, m -> new UsageSum()).add(t));
  }
}
