package dev.hookbus.claude;

import dev.hookbus.support.ClaudeCodeProcess;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Claude Code 2.1.332 switches model headless ({@code -p "/model haiku"}, no API call) and fires
 * PreModelSwitch and PostModelSwitch at the hooks {@code hooks install} wrote: every field they carry is mapped.
 * Runs in the claude-e2e profile.
 */
class ModelSwitchClaudeCodeIT {
  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  @Test
  @DisplayName("/model haiku in -p mode: model:switch pre and post with 2.1.332's fields, none left under hook")
  void slashModelFiresBothHooks() throws Exception {
    TestServer server = TestServer.start(vertx);
    // nothing listens on port 9: the switch needs no API call, and a prompt that did would fail at once
    try (ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("/model haiku").under(dir)
        .apiBaseUrl("http://127.0.0.1:9").hookbusUrl("http://127.0.0.1:" + server.ingestPort()).start()) {
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      String sessionId = claude.result().getString("session_id");
      List<JsonObject> switches = result(server.eventually(
          () -> server.http().get(server.ingestPort(), "127.0.0.1",
              "/api/events?type=model:switch&session=" + sessionId).send()
              .map(r -> r.bodyAsJsonObject().getJsonArray("events").stream().map(JsonObject.class::cast).toList()),
          events -> events.stream().anyMatch(e -> "post".equals(e.getJsonObject("payload").getString("phase")))));
      assertThat(switches).extracting(e -> e.getJsonObject("payload").getString("phase")).contains("pre", "post");
      for (JsonObject envelope : switches) {
        JsonObject payload = envelope.getJsonObject("payload");
        assertThat(payload.getString("requestedModel")).isEqualTo("haiku");
        assertThat(payload.getString("source")).isEqualTo("command");
        assertThat(payload.getString("fromModel")).startsWith("claude-");
        assertThat(payload.fieldNames()).contains("contextTokens", "promptCacheWarm", "cacheTtl",
            "estimatedCacheWriteUsd", "pricing").doesNotContain("hook");
      }
      JsonObject post = switches.stream().filter(e -> "post".equals(e.getJsonObject("payload").getString("phase")))
          .findFirst().orElseThrow().getJsonObject("payload");
      assertThat(post.getString("toModel")).startsWith("claude-haiku");
      assertThat(post.getString("model")).isEqualTo(post.getString("toModel"));
    }
  }
}
