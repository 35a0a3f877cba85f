package dev.hookbus.claude;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.bus.Refusal;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventTypes;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the JSON Claude Code pipes to a status-line command into {@code context:update}: the only place Claude Code
 * reports context use. {@code tokens} is what fills the window now: input plus cache creation plus cache reads of
 * the last call ({@code context_window.current_usage}). {@code model} is the id, as SessionStart sends it.
 */
public final class StatusLineMapper {
  private StatusLineMapper() {
  }

  public static Event map(JsonObject body, long receivedAt) {
    if (!(body.getValue("session_id") instanceof String sessionId) || sessionId.isEmpty()
        || sessionId.length() > ClaudeHookMapper.MAX_ID_LENGTH) {
      throw new Refusal(FailureCode.INVALID_EVENT,
          "session_id is required and must be a string of 1 to " + ClaudeHookMapper.MAX_ID_LENGTH + " characters");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sessionId", sessionId);
    JsonObject window = object(body, "context_window");
    JsonObject usage = object(window, "current_usage");
    Long windowSize = whole(window, "context_window_size");
    Long tokens = usage == null ? null : sum(usage, "input_tokens", "cache_creation_input_tokens",
        "cache_read_input_tokens");
    Double percent = number(window, "used_percentage");
    if (percent == null && tokens != null && windowSize != null && windowSize > 0) {
      percent = 100.0 * tokens / windowSize;
    }
    if (percent != null) {
      p.put("percent", Math.max(0, Math.min(100, percent)));
    }
    putIfPresent(p, "tokens", tokens);
    putIfPresent(p, "windowSize", windowSize);
    putIfPresent(p, "costUsd", number(object(body, "cost"), "total_cost_usd"));
    JsonObject model = object(body, "model");
    if (model != null) {
      putIfPresent(p, "model", model.getValue("id") instanceof String s ? s : model.getValue("display_name"));
      putIfPresent(p, "modelName", model.getValue("display_name"));
    } else if (body.getValue("model") instanceof String s) {
      p.put("model", s);
    }
    JsonObject workspace = object(body, "workspace");
    Object cwd = workspace != null && workspace.getValue("current_dir") instanceof String s ? s : body.getValue("cwd");
    if (cwd instanceof String s) {
      p.put("cwd", s);
    }
    p.put("source", "statusline");
    return new Event(EventTypes.CONTEXT_UPDATE, receivedAt, receivedAt, sessionId, null, p);
  }

  private static JsonObject object(JsonObject parent, String key) {
    return parent != null && parent.getValue(key) instanceof JsonObject o ? o : null;
  }

  private static Double number(JsonObject parent, String key) {
    return parent != null && parent.getValue(key) instanceof Number n ? n.doubleValue() : null;
  }

  private static Long whole(JsonObject parent, String key) {
    Double value = number(parent, key);
    return value == null || value < 0 ? null : value.longValue();
  }

  private static Long sum(JsonObject usage, String... keys) {
    long total = 0;
    boolean any = false;
    for (String key : keys) {
      Long value = whole(usage, key);
      if (value != null) {
        total += value;
        any = true;
      }
    }
    return any ? total : null;
  }

  private static void putIfPresent(Map<String, Object> payload, String key, Object value) {
    if (value != null) {
      payload.put(key, value);
    }
  }
}
