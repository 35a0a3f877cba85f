package dev.hookbus.claude;

import dev.hookbus.bus.Addresses;
import dev.hookbus.state.FieldCutter;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import java.nio.file.Path;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays {@code claude/corpus.jsonl} (three interleaved sessions: a new client with a subagent, an old client
 * whose hooks came mid-session, and one that fires every other hook; a 200 KB Write, a failure, a compaction)
 * through the real server, as Claude Code would POST it, and checks what a person watching would see.
 * Runs on the JUnit thread, blocking on futures there (never on an event loop) to keep the replay linear.
 */
class ClaudeCorpusReplayTest {
  static final String S1 = "7f3c1a2e-0b1d-4c8e-9a55-2f1e3d4c5b6a";
  static final String S2 = "b2d4f6a8-1c3e-4a5b-8d7f-9e0a1b2c3d4e";
  static final String S3 = "e9c8b7a6-5d4e-4f3a-2b1c-0d9e8f7a6b5c";
  static final String BIG = big();

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;
  private WebClient client;
  private BridgeClient subscriber;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // With the journal: the whole envelope of a cut event is read back from it.
    server = TestServer.options().store(dir).start(vertx);
    client = server.http();
    subscriber = result(server.rawWebSocket());
    result(subscriber.register(Addresses.EVENTS));
    // The sync reply proves the bridge processed the registration before it.
    result(subscriber.request(Addresses.SYNC, new JsonObject()));
  }

  @AfterEach
  void stop() {
    result(subscriber.close());
    result(vertx.close());
  }

  @Test
  @DisplayName("the corpus replays with a 2xx per body and snapshots a person would expect")
  void replay() throws Exception {
    Map<String, Consumer<Map<String, JsonObject>>> checkpoints = new HashMap<>();
    checkpoints.put("subagent-running", this::subagentRunning);
    checkpoints.put("permission-pending", this::permissionPending);
    checkpoints.put("elicitation-pending", this::elicitationPending);
    checkpoints.put("all-stopped", this::allStopped);
    List<String> seen = new ArrayList<>();
    for (String line : corpus()) {
      JsonObject item = (JsonObject) withBigContent(new JsonObject(line));
      if (item.containsKey("@checkpoint")) {
        checkpoints.get(item.getString("@checkpoint")).accept(sessions());
        seen.add(item.getString("@checkpoint"));
        continue;
      }
      boolean status = item.containsKey("@statusline");
      HttpResponse<Buffer> response = await(client.post(server.ingestPort(), "127.0.0.1",
          status ? "/api/statusline" : "/api/hooks/claude")
          .sendJsonObject(status ? item.getJsonObject("@statusline") : item));
      assertThat(response.statusCode()).as(line.substring(0, Math.min(120, line.length()))).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("{}");
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(checkpoints.keySet());
    JsonObject snapshot = await(client.get(server.ingestPort(), "127.0.0.1", "/api/sessions").send()).bodyAsJsonObject();
    Map<String, JsonObject> finalSessions = byId(snapshot);
    assertThat(finalSessions).containsOnlyKeys(S2, S3);
    long lastSeq = snapshot.getLong("seq");
    result(subscriber.await(Addresses.EVENTS, all -> !all.isEmpty() && all.get(all.size() - 1).getLong("seq") == lastSeq));
    checkEnvelopes();
  }

  private void subagentRunning(Map<String, JsonObject> sessions) {
    assertThat(sessions).containsOnlyKeys(S1, S2, S3);
    JsonObject s1 = sessions.get(S1);
    assertThat(s1.getString("status")).isEqualTo("active");
    assertThat(s1.getString("currentTool")).isEqualTo("Agent");
    assertThat(s1.getString("model")).isEqualTo("claude-opus-4-1-20250805");
    JsonObject agent = s1.getJsonArray("agents").getJsonObject(0);
    assertThat(agent.getString("agentId")).isEqualTo("a-explore-1");
    assertThat(agent.getString("agentType")).isEqualTo("Explore");
    assertThat(agent.getString("currentTool")).isEqualTo("Grep");
    JsonObject s2 = sessions.get(S2);
    assertThat(s2.getString("currentTool")).isEqualTo("Task");
    assertThat(s2.getJsonArray("agents")).isEmpty();
    assertThat(s2.getString("cwd")).isEqualTo("/home/dev/webapp");
  }

  private void permissionPending(Map<String, JsonObject> sessions) {
    JsonObject s1 = sessions.get(S1);
    assertThat(s1.getString("status")).isEqualTo("waiting");
    assertThat(s1.getString("waitingFor")).isEqualTo("permission");
    assertThat(s1.getString("waitingDetail")).isEqualTo("Bash");
    assertThat(s1.getString("currentTool")).isEqualTo("Bash");
    assertThat(s1.getJsonArray("agents")).isEmpty();
    assertThat(s1.getDouble("contextPercent")).isEqualTo(12.5);
    assertThat(s1.getLong("tokensUsed")).isEqualTo(25000L);
    assertThat(s1.getLong("contextWindow")).isEqualTo(200000L);
    assertThat(s1.getDouble("costUsd")).isEqualTo(0.12);
    assertThat(sessions.get(S2).getString("status")).isEqualTo("active");
  }

  private void elicitationPending(Map<String, JsonObject> sessions) {
    JsonObject s2 = sessions.get(S2);
    assertThat(s2.getString("status")).isEqualTo("waiting");
    assertThat(s2.getString("waitingFor")).isEqualTo("elicitation");
    assertThat(s2.getString("waitingDetail")).isEqualTo("Which project should the ticket go to?");
    JsonObject s1 = sessions.get(S1);
    assertThat(s1.getString("status")).isEqualTo("active");
    assertThat(s1.getLong("toolFailures")).isEqualTo(1L);
    JsonObject s3 = sessions.get(S3);
    assertThat(s3.getString("currentTool")).isNull();
    assertThat(s3.getLong("toolFailures")).isZero();
  }

  private void allStopped(Map<String, JsonObject> sessions) {
    JsonObject s1 = sessions.get(S1);
    assertThat(s1.getString("status")).isEqualTo("waiting");
    assertThat(s1.getString("waitingFor")).isEqualTo("input");
    assertThat(s1.getString("lastMessage")).startsWith("The tokenizer is refactored").contains("✗");
    assertThat(s1.getLong("prompts")).isEqualTo(1L);
    assertThat(s1.getDouble("contextPercent")).isEqualTo(3.0);
    assertThat(s1.getString("cwd")).isEqualTo("/home/dev/parser");
    JsonObject s2 = sessions.get(S2);
    assertThat(s2.getString("status")).isEqualTo("idle");
    assertThat(s2.getString("lastMessage")).isEqualTo("Added the email check to the login form.");
    assertThat(s2.getLong("toolCalls")).isEqualTo(2L);
    assertThat(s2.getLong("prompts")).isEqualTo(1L);
    JsonObject s3 = sessions.get(S3);
    assertThat(s3.getString("status")).isEqualTo("idle");
    assertThat(s3.getLong("toolCalls")).isEqualTo(2L);
    assertThat(s3.getString("model")).isEqualTo("claude-sonnet-4-5");
  }

  private void checkEnvelopes() throws Exception {
    List<JsonObject> envelopes = subscriber.bodies(Addresses.EVENTS);
    assertThat(envelopes).extracting(e -> e.getString("type")).contains("session:start", "session:end",
        "subagent:start", "subagent:stop", "tool:pre", "tool:post", "tool:failure", "skill:use", "prompt:submit",
        "permission:request", "permission:denied", "notification", "elicitation", "elicitation:result",
        "turn:stop", "compact", "context:update", "claude:setup", "claude:post-tool-batch",
        "claude:future-hook-nobody-knows", "claude:worktree-create", "claude:message-display");
    JsonObject write = envelopes.stream().filter(e -> "tool:pre".equals(e.getString("type"))
        && "toolu_A3".equals(e.getJsonObject("payload").getString("toolUseId"))).findFirst().orElseThrow();
    String cut = write.getJsonObject("payload").getJsonObject("toolInput").getString("content");
    assertThat(write.getBoolean("truncated")).isTrue();
    assertThat(cut).isEqualTo(BIG.substring(0, 8192) + FieldCutter.marker(BIG.length() - 8192));
    JsonObject full = await(client.get(server.ingestPort(), "127.0.0.1", "/api/events/" + write.getLong("seq"))
        .send()).bodyAsJsonObject();
    assertThat(full.getJsonObject("payload").getJsonObject("toolInput").getString("content")).isEqualTo(BIG);
    assertThat(full.containsKey("truncated")).isFalse();
    JsonObject future = envelopes.stream().filter(e -> "claude:future-hook-nobody-knows".equals(e.getString("type")))
        .findFirst().orElseThrow();
    assertThat(future.getJsonObject("payload").getJsonObject("hook").getJsonObject("some_field").getJsonArray("nested"))
        .containsExactly(1, 2, 3);
    JsonObject grep = envelopes.stream().filter(e -> "tool:pre".equals(e.getString("type"))
        && "Grep".equals(e.getJsonObject("payload").getString("toolName"))).findFirst().orElseThrow();
    assertThat(grep.getString("agentId")).isEqualTo("a-explore-1");
    assertThat(envelopes).allSatisfy(e -> assertThat(e.getLong("receivedAt")).isPositive());
  }

  @Test
  @DisplayName("bodies that are not hooks get the same JSON errors as /api/events; gone events are 404")
  void errors() throws Exception {
    assertError(client.post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendBuffer(Buffer.buffer("{nope")), 400, "INVALID_JSON");
    assertError(client.post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendBuffer(Buffer.buffer("[]")), 422, "INVALID_EVENT");
    assertError(client.post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendJsonObject(new JsonObject().put("session_id", "s")), 422, "INVALID_EVENT");
    assertError(client.post(server.ingestPort(), "127.0.0.1", "/api/statusline")
        .sendJsonObject(new JsonObject().put("model", new JsonObject())), 422, "INVALID_EVENT");
    assertError(client.get(server.ingestPort(), "127.0.0.1", "/api/events/987654321").send(), 404, "NOT_FOUND");
    assertError(client.get(server.ingestPort(), "127.0.0.1", "/api/events/abc").send(), 400, "INVALID_REQUEST");
    HttpResponse<Buffer> ok = await(client.post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendJsonObject(new JsonObject().put("session_id", "s").put("hook_event_name", "Stop")
            .put("unexpected", new JsonArray().add(new JsonObject()))));
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  private void assertError(Future<HttpResponse<Buffer>> request, int status, String code) throws Exception {
    HttpResponse<Buffer> response = await(request);
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
  }

  private Map<String, JsonObject> sessions() {
    try {
      return byId(await(client.get(server.ingestPort(), "127.0.0.1", "/api/sessions").send()).bodyAsJsonObject());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, JsonObject> byId(JsonObject snapshot) {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object s : snapshot.getJsonArray("sessions")) {
      JsonObject session = (JsonObject) s;
      out.put(session.getString("sessionId"), session);
    }
    return out;
  }

  private static List<String> corpus() throws IOException {
    try (InputStream in = ClaudeCorpusReplayTest.class.getResourceAsStream("/claude/corpus.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** 200 KB of source-like text with non-ASCII characters and characters JSON must escape. */
  private static String big() {
    StringBuilder text = new StringBuilder(210_000);
    for (int i = 0; text.length() < 200 * 1024; i++) {
      text.append("fn lex_").append(i).append("(s: &str) -> Tök { /* ✓ \"ünïcödé\" λ 変数 */ }\n");
    }
    return text.substring(0, 200 * 1024);
  }

  /** The corpus says {@code "@200KB"} where a Write carries a whole file. */
  private static Object withBigContent(Object value) {
    if ("@200KB".equals(value)) {
      return BIG;
    }
    if (value instanceof JsonObject o) {
      o.fieldNames().forEach(key -> o.put(key, withBigContent(o.getValue(key))));
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, withBigContent(a.getValue(i)));
      }
    }
    return value;
  }

  private static <T> T await(Future<T> future) {
    return result(future);
  }
}
