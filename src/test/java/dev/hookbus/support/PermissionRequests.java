package dev.hookbus.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A PermissionRequest hook body as Claude Code posts it: a Bash command with one "always allow" rule suggested. */
public final class PermissionRequests {
  private PermissionRequests() {
  }

  public static JsonObject bash(String sessionId) {
    return new JsonObject().put("session_id", sessionId).put("transcript_path", "/tmp/" + sessionId + ".jsonl")
        .put("cwd", "/repo").put("permission_mode", "default").put("hook_event_name", "PermissionRequest")
        .put("tool_name", "Bash")
        .put("tool_input", new JsonObject().put("command", "rm -rf build").put("description", "clean the build"))
        .put("permission_suggestions", new JsonArray().add(new JsonObject().put("type", "addRules")
            .put("rules", new JsonArray().add(new JsonObject().put("toolName", "Bash")
                .put("ruleContent", "rm -rf build")))
            .put("behavior", "allow").put("destination", "localSettings")));
  }
}
