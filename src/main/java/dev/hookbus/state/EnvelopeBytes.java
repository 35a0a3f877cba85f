package dev.hookbus.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A cheap estimate of the heap an envelope holds: a walk that counts each string's characters (one byte each, as
 * compact strings store ASCII) plus a fixed overhead per object, entry and value. Within a factor of about two of
 * the real figure for hook bodies, which is what a budget needs; it never encodes anything.
 */
final class EnvelopeBytes {
  private static final int STRING = 40;
  private static final int ENTRY = 40;
  private static final int CONTAINER = 48;
  private static final int SCALAR = 16;

  private EnvelopeBytes() {
  }

  /** The heap of an envelope kept as its text: the string and its array, at most two bytes a character. */
  static long ofText(String text) {
    return STRING + CONTAINER + 2L * text.length();
  }

  static long of(JsonObject envelope) {
    return of(envelope.getMap());
  }

  private static long of(Object value) {
    if (value instanceof String s) {
      return STRING + s.length();
    }
    if (value instanceof JsonObject o) {
      return of(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return of(a.getList());
    }
    if (value instanceof Map<?, ?> map) {
      long total = CONTAINER;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        total += ENTRY + of(entry.getKey()) + of(entry.getValue());
      }
      return total;
    }
    if (value instanceof List<?> list) {
      long total = CONTAINER;
      for (Object item : list) {
        total += 8 + of(item);
      }
      return total;
    }
    if (value instanceof byte[] b) {
      return SCALAR + b.length;
    }
    return SCALAR;
  }
}
