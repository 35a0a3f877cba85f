package dev.hookbus.claude;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class ClaudeRoutesLimitsTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // With the journal: the whole envelope of a cut event is read back from it.
    server = TestServer.options().config(new JsonObject().put("ingest", new JsonObject().put("maxBodyBytes", 1024))
        .put("broadcast", new JsonObject().put("maxFieldChars", 64))).store(dir).start(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  @DisplayName("a hook body over ingest.maxBodyBytes gets 413 PAYLOAD_TOO_LARGE, and the server goes on")
  void tooLarge() {
    JsonObject body = new JsonObject().put("session_id", "s").put("hook_event_name", "PreToolUse")
        .put("tool_input", new JsonObject().put("content", "x".repeat(2000)));
    HttpResponse<Buffer> response = result(server.post("/api/hooks/claude", body));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    body.getJsonObject("tool_input").put("content", "x".repeat(500));
    assertThat(result(server.post("/api/hooks/claude", body)).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("history replies to browsers are cut too; the lookup by seq is not")
  void historyIsCut() {
    long seq = server.postEvent("tool:pre", new JsonObject().put("sessionId", "s").put("toolName", "Write")
        .put("toolInput", new JsonObject().put("content", "y".repeat(300))));
    var bridge = result(server.rawWebSocket());
    JsonObject history = result(bridge.request("hookbus.history", new JsonObject().put("since", seq - 1)))
        .getJsonObject("body");
    JsonObject envelope = history.getJsonArray("events").getJsonObject(0);
    assertThat(envelope.getJsonObject("payload").getJsonObject("toolInput").getString("content")).hasSize(64
        + dev.hookbus.state.FieldCutter.marker(236).length());
    JsonObject full = result(server.http().get(server.ingestPort(), "127.0.0.1", "/api/events/" + seq).send())
        .bodyAsJsonObject();
    assertThat(full.getJsonObject("payload").getJsonObject("toolInput").getString("content")).hasSize(300);
    result(bridge.close());
  }
}
