package dev.hookbus.claude;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw hook body being turned into a canonical payload. Every field a mapping takes moves to its camelCase
 * name; whatever nobody took ends up under {@code payload.hook}, so nothing the hook sent is lost.
 */
final class HookFields {
  private final Map<String, Object> remaining;
  private final Map<String, Object> payload = new LinkedHashMap<>();

  HookFields(JsonObject body) {
    this.remaining = new LinkedHashMap<>(body.getMap());
  }

  /** Moves {@code rawKey} to {@code canonicalKey} when present (null values are dropped, not copied). */
  HookFields take(String rawKey, String canonicalKey) {
    Object value = remaining.remove(rawKey);
    if (value != null) {
      payload.put(canonicalKey, value);
    }
    return this;
  }

  /** Takes the value only when it is a string; anything else stays in {@code hook}. */
  HookFields takeText(String rawKey, String canonicalKey) {
    if (remaining.get(rawKey) instanceof String) {
      take(rawKey, canonicalKey);
    }
    return this;
  }

  String text(String rawKey) {
    Object value = remaining.get(rawKey);
    return value instanceof String s ? s : null;
  }

  Object peek(String canonicalKey) {
    return payload.get(canonicalKey);
  }

  HookFields put(String canonicalKey, Object value) {
    if (value != null) {
      payload.put(canonicalKey, value);
    }
    return this;
  }

  /** Takes a canonical field out of the payload again. */
  void remove(String canonicalKey) {
    payload.remove(canonicalKey);
  }

  void drop(String rawKey) {
    remaining.remove(rawKey);
  }

  /** The canonical payload, with the untaken raw fields under {@code hook} (omitted when there are none). */
  Map<String, Object> payload() {
    Map<String, Object> out = new LinkedHashMap<>(payload);
    if (!remaining.isEmpty()) {
      out.put("hook", new LinkedHashMap<>(remaining));
    }
    return out;
  }
}
