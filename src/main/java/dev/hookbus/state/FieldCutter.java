package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Makes the browser copy of an envelope: every string in its payload (and in its session view) longer than
 * {@code maxChars} is cut to that length and ends with a marker saying how much was cut. The full envelope stays in
 * the journal, retrievable by seq.
 * Returns the very same object when nothing is long, so small events cost nothing: an envelope whose journal text is
 * no longer than the cap is not even walked.
 */
public final class FieldCutter {
  private final int maxChars;

  public FieldCutter(int maxChars) {
    this.maxChars = maxChars;
  }

  /** The marker appended to a cut string; the number is how many characters were removed. */
  public static String marker(int cutChars) {
    return "…[hookbus: " + cutChars + " more chars cut; GET /api/events/<seq> for all]";
  }

  public JsonObject cut(JsonObject envelope) {
    // Encoded already (the journal's text), and no longer than the cap in all: nothing inside can be long.
    int textLength = EncodedJson.textLength(envelope);
    if (textLength >= 0 && textLength <= maxChars) {
      return envelope;
    }
    Object payload = envelope.getValue("payload");
    // The session view an envelope carries holds previews and names, long only when a name is: cut it alike.
    Object view = envelope.getValue("view");
    if (!hasLong(payload) && !hasLong(view)) {
      return envelope;
    }
    int[] count = new int[1];
    JsonObject copy = EncodedJson.copy(envelope);
    copy.put("payload", cutValue(copy.getValue("payload"), count));
    if (view != null) {
      copy.put("view", cutValue(copy.getValue("view"), count));
    }
    return copy.put("truncated", true);
  }

  private boolean hasLong(Object value) {
    if (value instanceof String s) {
      return s.length() > maxChars;
    }
    if (value instanceof JsonObject o) {
      return hasLong(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return hasLong(a.getList());
    }
    if (value instanceof Map<?, ?> m) {
      for (Object v : m.values()) {
        if (hasLong(v)) {
          return true;
        }
      }
    } else if (value instanceof List<?> l) {
      for (Object v : l) {
        if (hasLong(v)) {
          return true;
        }
      }
    }
    return false;
  }

  private Object cutValue(Object value, int[] count) {
    if (value instanceof String s && s.length() > maxChars) {
      count[0]++;
      int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
      return s.substring(0, end) + marker(s.length() - end);
    }
    if (value instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        o.put(key, cutValue(o.getValue(key), count));
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, cutValue(a.getValue(i), count));
      }
    }
    return value;
  }
}
