package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Event;
import dev.hookbus.model.EventJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code view} an envelope carries: for every event type that changes a session, what changed and only that;
 * and a client that applies nothing but the views, from a snapshot on, holds what the next snapshot shows.
 */
class ViewChangesTest {
  private static final long IDLE_MS = 60_000;
  private final SessionRegistry registry = new SessionRegistry(2, SessionsConfig.DEFAULT_TEAMS, IDLE_MS);
  private final ViewChanges views = new ViewChanges(registry);
  /** The client: the snapshot's sessions by id and its queue, patched with every view. */
  private final Map<String, JsonObject> clientSessions = new LinkedHashMap<>();
  private JsonArray clientQueue = new JsonArray();
  private long clock = 1_000_000;

  private List<JsonObject> apply(String type, String sessionId, Object... keyValues) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("sessionId", sessionId);
    for (int i = 0; i < keyValues.length; i += 2) {
      payload.put((String) keyValues[i], keyValues[i + 1]);
    }
    clock += 10;
    Event event = new Event(type, clock, clock, sessionId, (String) payload.get("agentId"), payload);
    return applied(Transition.accepted(registry.apply(event), clock, views).envelopes());
  }

  private List<JsonObject> applied(List<JsonObject> envelopes) {
    for (JsonObject envelope : envelopes) {
      JsonObject view = envelope.getJsonObject("view");
      if (view == null) {
        continue;
      }
      JsonObject sessions = view.getJsonObject("sessions", new JsonObject());
      for (String id : sessions.fieldNames()) {
        JsonObject change = sessions.getJsonObject(id);
        if (change == null) {
          clientSessions.remove(id);
        } else {
          clientSessions.computeIfAbsent(id, k -> new JsonObject()).mergeIn(change);
        }
      }
      if (view.containsKey("queue")) {
        clientQueue = view.getJsonArray("queue");
      }
    }
    assertClientEqualsSnapshot();
    return envelopes;
  }

  private void assertClientEqualsSnapshot() {
    JsonObject snapshot = EventJson.snapshot(registry.snapshot());
    Map<String, JsonObject> server = new LinkedHashMap<>();
    for (Object s : snapshot.getJsonArray("sessions")) {
      server.put(((JsonObject) s).getString("sessionId"), (JsonObject) s);
    }
    assertThat(new JsonObject(new HashMap<>(clientSessions)).encodePrettily())
        .isEqualTo(new JsonObject(new HashMap<>(server)).encodePrettily());
    assertThat(clientQueue).isEqualTo(snapshot.getJsonArray("queue"));
  }

  private static JsonObject change(JsonObject envelope, String sessionId) {
    return envelope.getJsonObject("view").getJsonObject("sessions").getJsonObject(sessionId);
  }

  @Test
  @DisplayName("a new session's view comes whole, on the event itself; a derived session:start carries an empty view")
  void newSessionsComeWhole() {
    JsonObject start = apply("session:start", "s1", "cwd", "/w").get(0);
    assertThat(change(start, "s1").fieldNames()).containsAll(ViewChanges.json(registry.view("s1")).fieldNames());
    assertThat(change(start, "s1").getString("cwd")).isEqualTo("/w");
    assertThat(change(start, "s1").getValue("contextPercent")).isNull();

    List<JsonObject> auto = apply("tool:pre", "late", "toolName", "Bash");
    assertThat(auto.get(0).getString("type")).isEqualTo("session:start");
    assertThat(auto.get(0).getJsonObject("view")).isEqualTo(new JsonObject());
    assertThat(change(auto.get(1), "late").getString("currentTool")).isEqualTo("Bash");
    assertThat(change(auto.get(1), "late").getString("sessionId")).isEqualTo("late");
  }

  @Test
  @DisplayName("each event type that changes a session carries exactly the fields it changed")
  void eachTypeCarriesWhatItChanged() {
    apply("session:start", "s1");
    assertThat(keys(apply("tool:pre", "s1", "toolName", "Bash"), "s1"))
        .containsExactlyInAnyOrder("currentTool", "toolStartedAt", "toolCalls", "events", "lastEventAt");
    assertThat(keys(apply("tool:post", "s1", "toolName", "Bash"), "s1"))
        .containsExactlyInAnyOrder("currentTool", "toolStartedAt", "events", "lastEventAt");
    assertThat(keys(apply("tool:failure", "s1", "toolName", "Read"), "s1"))
        .containsExactlyInAnyOrder("toolFailures", "events", "lastEventAt");
    assertThat(keys(apply("context:update", "s1", "percent", 42.5, "tokens", 85_000, "windowSize", 200_000,
        "costUsd", 0.25), "s1"))
        .containsExactlyInAnyOrder("contextPercent", "tokensUsed", "contextWindow", "costUsd", "events", "lastEventAt");
    assertThat(keys(apply("permission:request", "s1", "toolName", "Write"), "s1"))
        .containsExactlyInAnyOrder("status", "waitingFor", "waitingDetail", "events", "lastEventAt");
    JsonObject waiting = change(apply("notification", "s1", "notificationType", "idle_prompt", "message", "hi")
        .get(0), "s1");
    assertThat(waiting.getString("waitingFor")).isEqualTo("input");
    assertThat(keys(apply("prompt:submit", "s1", "prompt", "go"), "s1"))
        .containsExactlyInAnyOrder("status", "waitingFor", "waitingDetail", "prompts", "events", "lastEventAt");
    assertThat(change(apply("elicitation", "s1", "message", "which?").get(0), "s1").getString("waitingFor"))
        .isEqualTo("elicitation");
    JsonObject idle = change(apply("turn:stop", "s1", "lastMessage", "x".repeat(400)).get(0), "s1");
    assertThat(idle.getString("status")).isEqualTo("idle");
    assertThat(idle.getString("lastMessage")).hasSize(281);
    assertThat(keys(apply("compact", "s1", "trigger", "auto"), "s1")).containsExactlyInAnyOrder("events", "lastEventAt");
    // a SessionStart of the open session (a resume, a late hook) is session:info: it adds fields, it starts nothing
    assertThat(keys(apply("session:start", "s1", "model", "opus"), "s1"))
        .containsExactlyInAnyOrder("model", "events", "lastEventAt");
  }

  @Test
  @DisplayName("subagents: start, a tool inside one, stop; an agent that moves changes its old session too")
  void agents() {
    apply("session:start", "s1");
    apply("session:start", "s2");
    JsonObject started = change(apply("subagent:start", "s1", "agentId", "a1", "agentType", "Explore").get(0), "s1");
    assertThat(started.getJsonArray("agentIds")).containsExactly("a1");
    assertThat(started.getJsonArray("agents").getJsonObject(0).getString("agentType")).isEqualTo("Explore");
    JsonObject tool = change(apply("tool:pre", "s1", "agentId", "a1", "toolName", "Grep").get(0), "s1");
    assertThat(tool.getJsonArray("agents").getJsonObject(0).getString("currentTool")).isEqualTo("Grep");
    assertThat(tool.containsKey("currentTool")).isFalse();

    JsonObject moved = apply("subagent:start", "s2", "agentId", "a1", "agentType", "Plan").get(0);
    assertThat(change(moved, "s1").getJsonArray("agents")).isEmpty();
    assertThat(change(moved, "s2").getJsonArray("agentIds")).containsExactly("a1");

    assertThat(change(apply("subagent:stop", "s2", "agentId", "a1").get(0), "s2").getJsonArray("agents")).isEmpty();
  }

  @Test
  @DisplayName("the queue for a table, session:end and session:table: a closed session is null, the queue comes whole")
  void seating() {
    apply("session:start", "s1");
    apply("session:start", "s2");
    JsonObject queued = apply("session:start", "s3").get(0);
    assertThat(change(queued, "s3").getValue("tableIndex")).isNull();
    assertThat(queued.getJsonObject("view").getJsonArray("queue")).containsExactly("s3");

    List<JsonObject> end = apply("session:end", "s1", "reason", "clear");
    assertThat(end).extracting(e -> e.getString("type")).containsExactly("session:end", "session:table");
    assertThat(end.get(0).getJsonObject("view").getJsonObject("sessions").containsKey("s1")).isTrue();
    assertThat(change(end.get(0), "s1")).isNull();
    assertThat(change(end.get(1), "s3").getInteger("tableIndex")).isZero();
    assertThat(end.get(1).getJsonObject("view").getJsonArray("queue")).isEmpty();
  }

  @Test
  @DisplayName("the idle sweep closes sessions with null views; events without a session carry none")
  void idleAndSessionless() {
    apply("session:start", "s1");
    List<JsonObject> swept = applied(Transition.idle(registry.closeIdle(clock + IDLE_MS), clock, views).envelopes());
    assertThat(change(swept.get(0), "s1")).isNull();

    clock += 10;
    Event custom = new Event("deploy:done", clock, clock, null, null, Map.of("env", "prod"));
    JsonObject envelope = Transition.accepted(registry.apply(custom), clock, views).envelopes().get(0);
    assertThat(envelope.containsKey("view")).isFalse();
  }

  @Test
  @DisplayName("a view rebuilt from the registry (a restart) starts where the snapshot is: the next change is a delta")
  void seededFromTheRegistry() {
    apply("session:start", "s1");
    ViewChanges restarted = new ViewChanges(registry);
    clock += 10;
    Event pre = new Event("tool:pre", clock, clock, "s1", null, Map.of("sessionId", "s1", "toolName", "Bash"));
    JsonObject envelope = Transition.accepted(registry.apply(pre), clock, restarted).envelopes().get(0);
    assertThat(change(envelope, "s1").fieldNames())
        .containsExactlyInAnyOrder("currentTool", "toolStartedAt", "toolCalls", "events", "lastEventAt");
  }

  @Test
  @DisplayName("a view string longer than broadcast.maxFieldChars is cut in what browsers get, as the payload's are")
  void longViewStringsAreCut() {
    JsonObject start = apply("session:start", "s1", "cwd", "/" + "d".repeat(10_000)).get(0);
    JsonObject cut = new FieldCutter(8192).cut(start);
    assertThat(cut.getBoolean("truncated")).isTrue();
    assertThat(change(cut, "s1").getString("cwd")).startsWith("/ddd").contains("more chars cut").hasSizeLessThan(8300);
    assertThat(change(start, "s1").getString("cwd")).hasSize(10_001); // the journal keeps it whole
  }

  private static List<String> keys(List<JsonObject> envelopes, String sessionId) {
    return new ArrayList<>(change(envelopes.get(envelopes.size() - 1), sessionId).fieldNames());
  }
}
