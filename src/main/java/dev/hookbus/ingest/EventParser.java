package dev.hookbus.ingest;

import dev.hookbus.bus.Refusal;
import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hookbus.model.EventTypes.*;

/**
 * Turns a {@code POST /api/events} body (one event or an array of them) into validated {@link Event}s.
 * A batch is all or nothing: the first bad event rejects it, and the error names its index and field.
 */
public final class EventParser {
  /** Ids become event-bus addresses; the bridge refuses addresses longer than 200 characters. */
  static final int MAX_ID_LENGTH = 128;

  private final int maxBatch;

  public EventParser(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /**
   * The events of one request body.
   *
   * @param batch true when the body was an array, so the reply lists every seq
   */
  public record Parsed(List<Event> events, boolean batch) {
  }

  /** @param root the decoded body ({@link JsonBody#value}) */
  public Parsed parse(Object root, long receivedAt) {
    if (root instanceof JsonObject single) {
      return new Parsed(List.of(event(single, "", receivedAt)), false);
    }
    if (!(root instanceof JsonArray array)) {
      throw new Refusal(FailureCode.INVALID_EVENT, "body must be an event object or an array of events");
    }
    if (array.isEmpty()) {
      throw new Refusal(FailureCode.INVALID_EVENT, "the batch is empty");
    }
    if (array.size() > maxBatch) {
      throw new Refusal(FailureCode.PAYLOAD_TOO_LARGE,
          "a batch holds at most " + maxBatch + " events (ingest.maxBatch), this one has " + array.size());
    }
    List<Event> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = "[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw new Refusal(FailureCode.INVALID_EVENT, at.substring(0, at.length() - 1) + " must be an object");
      }
      events.add(event(json, at, receivedAt));
    }
    return new Parsed(events, true);
  }

  private static Event event(JsonObject json, String at, long receivedAt) {
    if (!(json.getValue("type") instanceof String type)) {
      throw invalid(at + "type", "is required and must be a string");
    }
    boolean scoped = SESSION_SCOPED.contains(type);
    // The canonical types match the pattern by construction; only custom ones need the regex.
    if (!scoped && !EventTypes.CUSTOM.matcher(type).matches()) {
      throw invalid(at + "type", "must match " + EventTypes.CUSTOM.pattern());
    }
    if (type.startsWith(EventTypes.APPROVAL_PREFIX)) {
      throw invalid(at + "type", "approval:* events are hookbus's own; decide with POST /api/approvals/<id>");
    }
    long timestamp = receivedAt;
    Object ts = json.getValue("timestamp");
    if (ts != null) {
      if (!(ts instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1e15) {
        throw invalid(at + "timestamp", "must be epoch milliseconds");
      }
      timestamp = n.longValue();
    }
    Object rawPayload = json.getValue("payload");
    if (rawPayload != null && !(rawPayload instanceof JsonObject)) {
      throw invalid(at + "payload", "must be an object");
    }
    JsonObject payload = rawPayload == null ? new JsonObject() : (JsonObject) rawPayload;
    String p = at + "payload.";
    String sessionId = id(payload, "sessionId", p, scoped);
    boolean agentEvent = type.equals(SUBAGENT_START) || type.equals(SUBAGENT_STOP);
    String agentId = id(payload, "agentId", p, agentEvent);
    optionalText(payload, "agentType", p);
    optionalText(payload, "description", p);
    percent(payload, "contextPercent", p, false);
    percent(payload, "percent", p, type.equals(CONTEXT_UPDATE));
    tokens(payload, p);
    if (payload.containsKey("approvalId")) {
      throw invalid(p + "approvalId", "is given by hookbus when it holds a PermissionRequest hook");
    }
    Map<String, Object> fields = payload.getMap();
    return new Event(type, timestamp, receivedAt, sessionId, agentId, fields);
  }

  private static String id(JsonObject payload, String key, String at, boolean required) {
    Object value = payload.getValue(key);
    if (value == null) {
      if (required) {
        throw invalid(at + key, "is required for this event type");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isEmpty() || s.length() > MAX_ID_LENGTH) {
      throw invalid(at + key, "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
    }
    return s;
  }

  private static void optionalText(JsonObject payload, String key, String at) {
    Object value = payload.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw invalid(at + key, "must be a string");
    }
  }

  private static void percent(JsonObject payload, String key, String at, boolean required) {
    Object value = payload.getValue(key);
    if (value == null) {
      if (required) {
        throw invalid(at + key, "is required for this event type");
      }
      return;
    }
    if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 100) {
      throw invalid(at + key, "must be a number from 0 to 100");
    }
  }

  private static void tokens(JsonObject payload, String at) {
    Object value = payload.getValue("tokens");
    if (value != null && (!(value instanceof Number n) || n.doubleValue() < 0
        || n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw invalid(at + "tokens", "must be a whole number >= 0");
    }
  }

  private static Refusal invalid(String field, String problem) {
    return new Refusal(FailureCode.INVALID_EVENT, field + " " + problem);
  }
}
