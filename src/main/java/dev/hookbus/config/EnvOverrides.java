package dev.hookbus.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Environment variables that override the config file: {@code PORT} (ingest port, as in the seed),
 * {@code HOOKBUS_HOST} (both hosts) and {@code HOOKBUS_<SECTION>_<KEY>} for any key, where KEY is the
 * camelCase key in upper snake case ({@code HOOKBUS_INGEST_MAX_BATCH=100} sets {@code ingest.maxBatch}).
 */
public final class EnvOverrides {
  private static final String PREFIX = "HOOKBUS_";

  private EnvOverrides() {
  }

  public static JsonObject apply(JsonObject config, Map<String, String> env, Set<String> sections) {
    JsonObject result = config.copy();
    env.forEach((name, value) -> {
      if (!name.startsWith(PREFIX) || name.equals("HOOKBUS_HOST")) {
        return;
      }
      String rest = name.substring(PREFIX.length());
      int split = rest.indexOf('_');
      if (split <= 0) {
        return;
      }
      String section = rest.substring(0, split).toLowerCase(Locale.ROOT);
      if (sections.contains(section)) {
        put(result, section, camelCase(rest.substring(split + 1)), parse(value));
      }
    });
    String host = env.get("HOOKBUS_HOST");
    if (host != null) {
      put(result, "ingest", "host", host);
      put(result, "bridge", "host", host);
    }
    String port = env.get("PORT");
    if (port != null) {
      put(result, "ingest", "port", parse(port));
    }
    return result;
  }

  static String camelCase(String upperSnake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** Numbers, booleans, arrays and objects are taken as JSON; anything else stays a string. */
  static Object parse(String value) {
    try {
      Object decoded = Json.decodeValue(value);
      return decoded == null ? value : decoded;
    } catch (DecodeException notJson) {
      return value;
    }
  }

  private static void put(JsonObject config, String section, String key, Object value) {
    Object existing = config.getValue(section);
    JsonObject target = existing instanceof JsonObject json ? json : new JsonObject();
    config.put(section, target.put(key, value));
  }
}
