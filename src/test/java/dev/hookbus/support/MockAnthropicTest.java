package dev.hookbus.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Messages API stand-in that ClaudeCodeIT points the real Claude Code at, checked in the default suite
 * (ClaudeCodeIT itself needs the CLI): the streamed event sequence, the script's turns, the recording.
 */
class MockAnthropicTest {
  private Vertx vertx;
  private WebClient client;
  private MockAnthropic mock;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  @DisplayName("a streamed turn offering Bash is a tool_use of the command as SSE; with its tool_result the text")
  void bashThenText() {
    mock = result(MockAnthropic.start(vertx, "echo hi", "Done."));
    HttpResponse<Buffer> first = post("/v1/messages?beta=true", turn(new JsonArray()
        .add(user(new JsonArray().add(new JsonObject().put("type", "text").put("text", "Run echo hi"))))));
    assertThat(first.getHeader("content-type")).isEqualTo("text/event-stream");
    List<JsonObject> events = sse(first.bodyAsString());
    assertThat(events).extracting(e -> e.getString("type")).containsExactly("message_start",
        "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(1).getJsonObject("content_block").getString("name")).isEqualTo("Bash");
    assertThat(new JsonObject(events.get(2).getJsonObject("delta").getString("partial_json")).getString("command"))
        .isEqualTo("echo hi");
    assertThat(events.get(4).getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");

    JsonObject result = new JsonObject().put("type", "tool_result").put("tool_use_id", MockAnthropic.TOOL_USE_ID)
        .put("content", "hi");
    List<JsonObject> second = sse(post("/v1/messages?beta=true", turn(new JsonArray().add(user(new JsonArray()
        .add(result))))).bodyAsString());
    assertThat(second.get(2).getJsonObject("delta").getString("text")).isEqualTo("Done.");
    assertThat(second.get(4).getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    assertThat(mock.toolResults()).containsExactly(result);
  }

  @Test
  @DisplayName("with a subagent the first turn is the Agent tool; the subagent's own conversation gets Bash")
  void subagent() {
    mock = result(MockAnthropic.startWithSubagent(vertx, "echo sub", "Done."));
    JsonObject agent = sse(post("/v1/messages", turn(new JsonArray().add(user(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Use a subagent"))))))
        .bodyAsString()).get(1).getJsonObject("content_block");
    assertThat(agent.getString("name")).isEqualTo("Agent");
    JsonObject prompt = new JsonObject().put("type", "text")
        .put("text", MockAnthropic.SUBAGENT_MARKER + " Run echo sub with Bash.");
    List<JsonObject> partial = sse(post("/v1/messages", turn(new JsonArray().add(user(new JsonArray().add(prompt)))))
        .bodyAsString());
    assertThat(partial.get(1).getJsonObject("content_block").getString("name")).isEqualTo("Bash");
  }

  @Test
  @DisplayName("anything else gets a minimal JSON answer, and every request is recorded")
  void everythingElse() {
    mock = result(MockAnthropic.start(vertx, "echo hi", "Done."));
    assertThat(post("/v1/messages/count_tokens", new JsonObject()).bodyAsJsonObject().getInteger("input_tokens"))
        .isPositive();
    assertThat(result(client.getAbs(mock.baseUrl() + "/v1/models").send()).bodyAsJsonObject()
        .getJsonArray("data")).isEmpty();
    JsonObject plain = post("/v1/messages", turn(new JsonArray()).put("stream", false)).bodyAsJsonObject();
    assertThat(plain.getString("type")).isEqualTo("message");
    assertThat(post("/v1/logs", new JsonObject().put("resourceLogs", new JsonArray())).bodyAsJsonObject()).isEmpty();
    assertThat(mock.requests()).extracting(MockAnthropic.Recorded::path).containsExactly(
        "/v1/messages/count_tokens", "/v1/models", "/v1/messages", "/v1/logs");
    assertThat(mock.messageRequests()).hasSize(1);
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return result(client.postAbs(mock.baseUrl() + path).sendJsonObject(body));
  }

  private static JsonObject turn(JsonArray messages) {
    return new JsonObject().put("model", "claude-test").put("stream", true).put("messages", messages)
        .put("tools", new JsonArray().add(new JsonObject().put("name", "Bash"))
            .add(new JsonObject().put("name", "Agent")));
  }

  private static JsonObject user(JsonArray content) {
    return new JsonObject().put("role", "user").put("content", content);
  }

  /** The data of each server-sent event, checking that its {@code event:} line names the same type. */
  private static List<JsonObject> sse(String body) {
    List<JsonObject> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String[] lines = block.split("\n");
      JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.getString("type"));
      events.add(data);
    }
    return events;
  }
}
