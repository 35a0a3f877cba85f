package dev.hookbus.bus;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON encoded once. The state actor builds each envelope with {@link #object()}, encodes it for the journal, and
 * the very same text goes into every bridge frame that carries it (and across a cluster): such an object remembers
 * its text. Any other value is encoded each time. Like everything published with {@link SharedJsonCodec}, an
 * envelope does not change once published; a change made through {@link JsonObject}'s own methods (put, remove,
 * clear, mergeIn) forgets the text, so it cannot go out stale.
 *
 * <p>Encodes with Jackson's streaming generator (Vert.x's {@link JacksonCodec}) rather than the databind
 * ObjectMapper that {@code Json.encode} uses once jackson-databind is on the classpath: the same text for JSON
 * values, in well under half the time.
 */
public final class EncodedJson {
  private static final JacksonCodec STREAMING = new JacksonCodec();

  private EncodedJson() {
  }

  /** An empty object that remembers its text once {@link #encode} made it. */
  public static JsonObject object() {
    return new JsonObject(new Fields());
  }

  /** The JSON text of a JSON value (a JsonObject, JsonArray, map, list, string, number, boolean or null). */
  public static String encode(Object value) {
    if (value instanceof JsonObject json && json.getMap() instanceof Fields fields) {
      String text = fields.text;
      if (text == null) {
        text = STREAMING.toString(json, false);
        fields.text = text;
      }
      return text;
    }
    return STREAMING.toString(value, false);
  }

  /**
   * An object read from JSON text that remembers that text, so that encoding it again costs nothing: how the history
   * window, which keeps only the text of each envelope, hands one out.
   */
  @SuppressWarnings("unchecked")
  public static JsonObject parse(String text) {
    Fields fields = new Fields();
    fields.putAll(STREAMING.fromString(text, Map.class));
    fields.text = text;
    return new JsonObject(fields);
  }

  /**
   * The length of the text the object remembers, or -1 when it remembers none. No string inside it can be longer:
   * JSON escapes only add characters.
   */
  public static int textLength(JsonObject json) {
    return json.getMap() instanceof Fields fields && fields.text != null ? fields.text.length() : -1;
  }

  /** A copy of {@code json} (nested objects included) that remembers its text once encoded. */
  public static JsonObject copy(JsonObject json) {
    Fields fields = new Fields();
    fields.putAll(json.copy().getMap());
    return new JsonObject(fields);
  }

  /**
   * The object's fields and, once encoded, their text. Several bridge instances may encode the same object at
   * once; they make the same text, so whichever write wins is right.
   */
  private static final class Fields extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    private transient String text;

    @Override
    public Object put(String key, Object value) {
      text = null;
      return super.put(key, value);
    }

    @Override
    public void putAll(Map<? extends String, ?> map) {
      text = null;
      super.putAll(map);
    }

    @Override
    public Object remove(Object key) {
      text = null;
      return super.remove(key);
    }

    @Override
    public void clear() {
      text = null;
      super.clear();
    }
  }
}
