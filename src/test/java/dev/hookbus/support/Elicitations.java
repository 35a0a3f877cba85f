package dev.hookbus.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Elicitation hook bodies as Claude Code 2.1.332 posts them ({@code hook_event_name: "Elicitation"},
 * {@code mcp_server_name}, {@code message}, {@code mode}, {@code url}, {@code elicitation_id},
 * {@code requested_schema}): a form that asks a name, a count, a flag and a choice; and a url-mode one.
 */
public final class Elicitations {
  public static final String SERVER = "deploy-desk";

  private Elicitations() {
  }

  public static JsonObject schema() {
    return new JsonObject().put("type", "object")
        .put("properties", new JsonObject()
            .put("name", new JsonObject().put("type", "string").put("title", "Release name"))
            .put("replicas", new JsonObject().put("type", "integer").put("title", "Replicas"))
            .put("ratio", new JsonObject().put("type", "number"))
            .put("confirm", new JsonObject().put("type", "boolean").put("title", "Really deploy?"))
            .put("region", new JsonObject().put("type", "string").put("enum", new JsonArray().add("eu").add("us"))))
        .put("required", new JsonArray().add("name").add("confirm"));
  }

  public static JsonObject form(String sessionId) {
    return common(sessionId).put("message", "Which release should go out?").put("mode", "form")
        .put("requested_schema", schema());
  }

  public static JsonObject url(String sessionId) {
    return common(sessionId).put("message", "Sign in to the deploy desk").put("mode", "url")
        .put("url", "https://deploy.example/login?e=1").put("elicitation_id", "el-42");
  }

  private static JsonObject common(String sessionId) {
    return new JsonObject().put("session_id", sessionId).put("transcript_path", "/tmp/" + sessionId + ".jsonl")
        .put("cwd", "/repo").put("permission_mode", "default").put("hook_event_name", "Elicitation")
        .put("mcp_server_name", SERVER);
  }
}
