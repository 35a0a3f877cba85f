package dev.hookbus.claude;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PreModelSwitch and PostModelSwitch bodies exactly as Claude Code 2.1.332 builds them (its binary:
 * {@code {...common, hook_event_name, from_model, to_model, requested_model, source, ...hbt(to_model)}}, where hbt
 * adds {@code context_tokens, prompt_cache_warm, cache_ttl, estimated_cache_write_usd, pricing}).
 */
class ModelSwitchHookTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  private static JsonObject body(String hook, String requested, String source) {
    return new JsonObject().put("session_id", "ms-1").put("transcript_path", "/home/u/.claude/projects/p/ms-1.jsonl")
        .put("cwd", "/work/p").put("prompt_id", "6f1c2a9e-1b7d-4c55-9a51-0e7f3f0c2d11")
        .put("permission_mode", "default").put("effort", "high")
        .put("hook_event_name", hook)
        .put("from_model", "claude-sonnet-4-5-20250929").put("to_model", "claude-opus-4-5-20251101")
        .put("requested_model", requested).put("source", source)
        .put("context_tokens", 48213).put("prompt_cache_warm", true).put("cache_ttl", "5m")
        .put("estimated_cache_write_usd", 0.3013).put("pricing", "catalog");
  }

  @Test
  @DisplayName("every field of 2.1.332's model-switch input is mapped, none is left under hook")
  void mapsEveryField() {
    Map<String, Object> pre = ClaudeHookMapper.map(body("PreModelSwitch", "opus", "command"), 1L).get(0).payload();
    assertThat(pre).containsEntry("phase", "pre").containsEntry("fromModel", "claude-sonnet-4-5-20250929")
        .containsEntry("toModel", "claude-opus-4-5-20251101").containsEntry("requestedModel", "opus")
        .containsEntry("source", "command").containsEntry("contextTokens", 48213)
        .containsEntry("promptCacheWarm", true).containsEntry("cacheTtl", "5m")
        .containsEntry("estimatedCacheWriteUsd", 0.3013).containsEntry("pricing", "catalog")
        .doesNotContainKeys("model", "hook");

    // requested_model is null for "default"; an automatic fallback comes only as PostModelSwitch
    Map<String, Object> post = ClaudeHookMapper.map(body("PostModelSwitch", null, "auto"), 1L).get(0).payload();
    assertThat(post).containsEntry("phase", "post").containsEntry("model", "claude-opus-4-5-20251101")
        .containsEntry("source", "auto").doesNotContainKeys("requestedModel", "hook");
  }

  @Test
  @DisplayName("over HTTP: PreModelSwitch leaves the session's model, PostModelSwitch sets it to to_model")
  void postSetsTheModel() {
    TestServer server = TestServer.start(vertx);
    assertThat(result(server.post("/api/hooks/claude", body("PreModelSwitch", "opus", "picker"))).statusCode())
        .isEqualTo(200);
    JsonObject session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("model")).isNull();
    assertThat(result(server.post("/api/hooks/claude", body("PostModelSwitch", "opus", "picker"))).statusCode())
        .isEqualTo(200);
    session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("model")).isEqualTo("claude-opus-4-5-20251101");
    JsonArray events = server.get("/api/events?session=ms-1&type=model:switch").bodyAsJsonObject()
        .getJsonArray("events");
    assertThat(events).hasSize(2);
    assertThat(events.getJsonObject(1).getJsonObject("payload").getString("requestedModel")).isEqualTo("opus");
  }
}
