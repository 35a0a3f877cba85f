package dev.hookbus.claude;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** What the real Claude Code 2.1.332 sends that the first mapping did not expect. */
class ClaudeCodeUpdatesTest {
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private static JsonObject hook(String name, String session) {
    return new JsonObject().put("hook_event_name", name).put("session_id", session).put("cwd", "/w")
        .put("transcript_path", "/t.jsonl");
  }

  private void post(JsonObject body) {
    assertThat(result(server.post("/api/hooks/claude", body)).statusCode()).isEqualTo(200);
  }

  private List<JsonObject> events(String session) {
    JsonArray events = server.get("/api/events?session=" + session).bodyAsJsonObject().getJsonArray("events");
    return events.stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("a SessionStart that arrives after the first prompt enriches the session: one session:start only")
  void lateSessionStartEnriches() {
    post(hook("UserPromptSubmit", "late").put("prompt", "hi"));
    post(hook("SessionStart", "late").put("source", "startup").put("model", "claude-opus-4-5"));
    List<String> types = events("late").stream().map(e -> e.getString("type")).toList();
    assertThat(types).containsExactly("session:start", "prompt:submit", "session:info");
    assertThat(events("late").get(2).getJsonObject("payload").getInteger("tableIndex")).isEqualTo(0);
    JsonObject session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("model")).isEqualTo("claude-opus-4-5");
    assertThat(session.getLong("prompts")).isEqualTo(1);
  }

  @Test
  @DisplayName("PostModelSwitch changes the session's model, PreModelSwitch does not (it may be refused)")
  void modelSwitch() {
    post(hook("SessionStart", "m").put("model", "claude-sonnet-4-5"));
    post(hook("PreModelSwitch", "m").put("from_model", "claude-sonnet-4-5").put("to_model", "claude-opus-4-5"));
    assertThat(server.sessions().getJsonArray("sessions").getJsonObject(0).getString("model"))
        .isEqualTo("claude-sonnet-4-5");
    post(hook("PostModelSwitch", "m").put("from_model", "claude-sonnet-4-5").put("to_model", "claude-opus-4-5"));
    assertThat(server.sessions().getJsonArray("sessions").getJsonObject(0).getString("model"))
        .isEqualTo("claude-opus-4-5");
    JsonObject post = events("m").get(2);
    assertThat(post.getString("type")).isEqualTo("model:switch");
    assertThat(post.getJsonObject("payload").getMap()).containsEntry("phase", "post")
        .containsEntry("fromModel", "claude-sonnet-4-5").containsEntry("toModel", "claude-opus-4-5");
  }

  @Test
  @DisplayName("effort, background_tasks and session_crons are kept under their own names")
  void newFields() {
    Map<String, Object> stop = ClaudeHookMapper.map(hook("Stop", "s").put("effort", "high")
        .put("background_tasks", new JsonArray().add("npm test")).put("session_crons", new JsonArray()), 1L)
        .get(0).payload();
    assertThat(stop).containsEntry("effort", "high").containsKeys("backgroundTasks", "sessionCrons")
        .doesNotContainKey("hook");
  }
}
