package dev.hookbus.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validating reads of one config section. Every read names the full key ({@code ingest.port}) in its
 * error, and {@link #done()} rejects keys nobody read, so a typo fails the boot instead of being ignored.
 */
final class Section {
  private final String name;
  private final JsonObject json;
  private final Set<String> read = new HashSet<>();

  Section(String name, JsonObject json) {
    this.name = name;
    this.json = json == null ? new JsonObject() : json;
  }

  static Section of(JsonObject root, String name) {
    Object value = root.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(name + " must be an object");
    }
    return new Section(name, (JsonObject) value);
  }

  String key(String key) {
    return name + "." + key;
  }

  int integer(String key, int fallback, int min, int max) {
    long value = longValue(key, fallback, min, max);
    return (int) value;
  }

  long longValue(String key, long fallback, long min, long max) {
    Object value = raw(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new ConfigException(key(key) + " must be a whole number, got " + describe(value));
    }
    long result = number.longValue();
    if (result < min || result > max) {
      throw new ConfigException(key(key) + " must be between " + min + " and " + max + ", got " + result);
    }
    return result;
  }

  boolean bool(String key, boolean fallback) {
    Object value = raw(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(key(key) + " must be true or false, got " + describe(value));
    }
    return b;
  }

  String string(String key, String fallback) {
    Object value = raw(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(key(key) + " must be a non-empty string, got " + describe(value));
    }
    return s;
  }

  String oneOf(String key, String fallback, Set<String> allowed) {
    String value = string(key, fallback);
    if (!allowed.contains(value)) {
      throw new ConfigException(key(key) + " must be one of " + allowed + ", got \"" + value + "\"");
    }
    return value;
  }

  List<String> strings(String key, List<String> fallback) {
    return list(key, fallback, (item) -> {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new ConfigException(key(key) + " must hold non-empty strings, got " + describe(item));
      }
      return s;
    });
  }

  <T> List<T> list(String key, List<T> fallback, Function<Object, T> item) {
    Object value = raw(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key(key) + " must be an array, got " + describe(value));
    }
    List<T> result = new ArrayList<>();
    for (Object element : array) {
      result.add(item.apply(element));
    }
    return List.copyOf(result);
  }

  /** A nested object ({@code ingest.tls}) as a section of its own, or null when absent or null. */
  Section object(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject nested)) {
      throw new ConfigException(key(key) + " must be an object or null, got " + describe(value));
    }
    return new Section(key(key), nested);
  }

  /** Fails on any key of this section that no read asked for. */
  void done() {
    for (String key : json.fieldNames()) {
      if (!read.contains(key)) {
        throw new ConfigException(key(key) + " is not a known setting");
      }
    }
  }

  private Object raw(String key) {
    read.add(key);
    return json.getValue(key);
  }

  static String describe(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
