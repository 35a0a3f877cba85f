package dev.hookbus.claude;

import dev.hookbus.model.Event;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code claude/claude-code-2.1.332.jsonl}: hook bodies exactly as the real Claude Code 2.1.332 posted them in
 * {@code -p} mode, offline against a mock of the Messages API (see {@link ClaudeCodeIT}): a session that ran
 * {@code echo hi} through Bash with {@code --allowedTools Bash} (SessionStart, UserPromptSubmit, PreToolUse,
 * PostToolUse, PostToolBatch, Stop, SessionEnd), then the PermissionRequest and the PostToolBatch of a session
 * whose {@code touch} needed approval and got hookbus's {@code {}} (denied: there is no terminal to ask).
 * {@code claude/claude-code-2.1.332-otlp.jsonl}: one such run with telemetry on, every request in arrival order
 * ({@code path}, and for OTLP {@code contentType}, {@code userAgent}), for the OTLP receiver's tests.
 * {@code claude/claude-code-2.1.332-subagent.jsonl}: a session whose model handed a Bash call to a subagent, which
 * 2.1.332 runs in the background.
 */
class RealClaudeCodeBodiesTest {
  private static final String ECHO_SESSION = "7196262f-04c1-4cd6-8c81-0c19c45b8dc0";
  private static final String DENIED_SESSION = "1ccdccae-d54f-4496-a567-98d7263bc640";

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

  @Test
  @DisplayName("every real body maps to the documented type, with its fields; none carries a model")
  void mapping() throws IOException {
    List<JsonObject> bodies = bodies();
    List<Event> events = new ArrayList<>();
    bodies.forEach(body -> events.addAll(ClaudeHookMapper.map(body, 1L)));
    assertThat(events).extracting(Event::type).containsExactly("session:start", "prompt:submit", "tool:pre",
        "tool:post", "claude:post-tool-batch", "turn:stop", "session:end", "permission:request",
        "claude:post-tool-batch");
    assertThat(events).allSatisfy(e -> assertThat(e.payload()).doesNotContainKey("model"));
    assertThat(events.get(0).payload()).containsEntry("source", "startup").containsKey("cwd");
    Map<String, Object> pre = events.get(2).payload();
    assertThat(pre).containsEntry("toolName", "Bash").containsEntry("toolUseId", "toolu_e2e_1")
        .containsKey("promptId");
    assertThat(object(pre.get("toolInput")).getString("command")).isEqualTo("echo hi");
    assertThat(pre).containsKey("effort").doesNotContainKey("hook");
    assertThat(object(events.get(3).payload().get("toolResponse")).getString("stdout")).isEqualTo("hi");
    assertThat(events.get(5).payload()).containsEntry("lastMessage", "The command printed hi.");
    assertThat(events.get(5).payload()).containsKeys("effort", "backgroundTasks", "sessionCrons")
        .doesNotContainKey("hook");
    assertThat(events.get(6).payload()).containsEntry("reason", "other");
    Map<String, Object> permission = events.get(7).payload();
    assertThat(permission).containsEntry("toolName", "Bash").containsKey("permissionSuggestions")
        .doesNotContainKey("toolUseId");
    assertThat(object(events.get(8).payload().get("hook")).getValue("tool_calls").toString())
        .contains("needs approval");
  }

  @Test
  @DisplayName("the echo session replayed with SessionStart late (after the prompt, as the real client sent it in "
      + "some runs) opens once, ends its turn idle with one tool call, and is gone after SessionEnd")
  void echoSessionWithALateStart() throws IOException {
    List<JsonObject> echo = bodies().stream().filter(b -> ECHO_SESSION.equals(b.getString("session_id"))).toList();
    List<JsonObject> lateStart = new ArrayList<>(echo);
    lateStart.add(1, lateStart.remove(0));
    assertThat(lateStart.get(1).getString("hook_event_name")).isEqualTo("SessionStart");
    for (JsonObject body : lateStart.subList(0, lateStart.size() - 1)) {
      post(body);
    }
    JsonObject snapshot = server.sessions();
    JsonObject session = snapshot.getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("sessionId")).isEqualTo(ECHO_SESSION);
    assertThat(session.getString("status")).isEqualTo("idle");
    assertThat(session.getString("currentTool")).isNull();
    assertThat(session.getLong("toolCalls")).isEqualTo(1L);
    assertThat(session.getLong("prompts")).isEqualTo(1L);
    assertThat(session.getString("lastMessage")).isEqualTo("The command printed hi.");
    assertThat(session.getString("cwd")).isEqualTo("/tmp/e2e/proj");
    JsonObject history = server.history(0);
    List<JsonObject> envelopes = history.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
    assertThat(envelopes).filteredOn(e -> "session:start".equals(e.getString("type")))
        .singleElement().satisfies(auto -> assertThat(auto.getJsonObject("payload").getBoolean("autoOpened")).isTrue());
    assertThat(envelopes).filteredOn(e -> "session:info".equals(e.getString("type")))
        .singleElement().satisfies(late -> assertThat(late.getJsonObject("payload").getString("source"))
            .isEqualTo("startup"));

    post(lateStart.get(lateStart.size() - 1));
    assertThat(server.sessions().getJsonArray("sessions")).isEmpty();
  }

  @Test
  @DisplayName("the real PermissionRequest puts its session in waiting for permission on Bash")
  void permissionRequestWaits() throws IOException {
    JsonObject request = bodies().stream().filter(b -> DENIED_SESSION.equals(b.getString("session_id")))
        .filter(b -> "PermissionRequest".equals(b.getString("hook_event_name"))).findFirst().orElseThrow();
    post(request);
    JsonObject session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("status")).isEqualTo("waiting");
    assertThat(session.getString("waitingFor")).isEqualTo("permission");
    assertThat(session.getString("waitingDetail")).isEqualTo("Bash");
  }

  @Test
  @DisplayName("claude-code-2.1.332-otlp.jsonl, one run with telemetry on: hook bodies and OTLP/JSON exports share the "
      + "session id; metrics are delta sums; the model is only in the OTLP api_request, never in a hook body")
  void otlpRunShape() throws IOException {
    List<JsonObject> lines = lines("/claude/claude-code-2.1.332-otlp.jsonl");
    List<JsonObject> hooks = lines.stream().filter(l -> l.getString("path").equals("/api/hooks/claude"))
        .map(l -> l.getJsonObject("body")).toList();
    String sessionId = hooks.get(0).getString("session_id");
    assertThat(hooks).extracting(b -> b.getString("hook_event_name")).containsExactly("SessionStart",
        "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolBatch", "Stop", "SessionEnd");
    assertThat(hooks).allSatisfy(b -> assertThat(b.containsKey("model")).isFalse());
    List<JsonObject> exports = lines.stream().filter(l -> l.getString("path").startsWith("/v1/")).toList();
    assertThat(exports).extracting(l -> l.getString("path")).contains("/v1/logs", "/v1/metrics");
    assertThat(exports).allSatisfy(l -> assertThat(l.getString("contentType")).isEqualTo("application/json"));
    JsonObject metrics = exports.stream().filter(l -> l.getString("path").equals("/v1/metrics")).findFirst()
        .orElseThrow().getJsonObject("body");
    List<JsonObject> sums = metrics.getJsonArray("resourceMetrics").getJsonObject(0).getJsonArray("scopeMetrics")
        .getJsonObject(0).getJsonArray("metrics").stream().map(JsonObject.class::cast).toList();
    assertThat(sums).extracting(m -> m.getString("name")).contains("claude_code.cost.usage",
        "claude_code.token.usage");
    assertThat(sums).allSatisfy(m -> assertThat(m.getJsonObject("sum").getInteger("aggregationTemporality"))
        .as("1 is DELTA").isEqualTo(1));
    assertThat(exports.get(0).encode()).contains("\"claude_code.api_request\"", "\"" + sessionId + "\"",
        "\"model\"");
  }

  @Test
  @DisplayName("claude-code-2.1.332-subagent.jsonl: the main turn stops while its background subagent still runs "
      + "Bash; hookbus shows the session idle with the agent's tool, drops the agent on SubagentStop, ends clean")
  void backgroundSubagent() throws IOException {
    List<JsonObject> bodies = lines("/claude/claude-code-2.1.332-subagent.jsonl");
    String agentId = bodies.stream().filter(b -> "SubagentStart".equals(b.getString("hook_event_name")))
        .findFirst().orElseThrow().getString("agent_id");
    assertThat(agentId).matches("a[0-9a-f]{16}");
    int firstStop = indexOf(bodies, "Stop", 0);
    assertThat(bodies.get(firstStop).getJsonArray("background_tasks").getJsonObject(0).getString("status"))
        .isEqualTo("running");
    bodies.subList(0, firstStop + 1).forEach(this::post);
    JsonObject session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("status")).isEqualTo("idle");
    assertThat(session.getJsonArray("agents")).singleElement().satisfies(a -> {
      assertThat(((JsonObject) a).getString("agentId")).isEqualTo(agentId);
      assertThat(((JsonObject) a).getString("agentType")).isEqualTo("general-purpose");
    });
    int subagentStop = indexOf(bodies, "SubagentStop", firstStop);
    bodies.subList(firstStop + 1, subagentStop + 1).forEach(this::post);
    assertThat(server.sessions().getJsonArray("sessions").getJsonObject(0).getJsonArray("agents")).isEmpty();
    bodies.subList(subagentStop + 1, bodies.size()).forEach(this::post);
    assertThat(server.sessions().getJsonArray("sessions")).isEmpty();
  }

  private static int indexOf(List<JsonObject> bodies, String hook, int from) {
    for (int i = from; i < bodies.size(); i++) {
      if (hook.equals(bodies.get(i).getString("hook_event_name"))) {
        return i;
      }
    }
    throw new AssertionError("no " + hook + " after " + from);
  }

  @SuppressWarnings("unchecked")
  private static JsonObject object(Object value) {
    return value instanceof JsonObject json ? json : new JsonObject((Map<String, Object>) value);
  }

  private void post(JsonObject body) {
    HttpResponse<Buffer> response = result(server.post("/api/hooks/claude", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private static List<JsonObject> bodies() throws IOException {
    return lines("/claude/claude-code-2.1.332.jsonl");
  }

  private static List<JsonObject> lines(String resource) throws IOException {
    try (InputStream in = RealClaudeCodeBodiesTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
          .map(JsonObject::new).toList();
    }
  }
}
