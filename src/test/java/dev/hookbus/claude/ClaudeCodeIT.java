package dev.hookbus.claude;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.ClaudeCodeProcess;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.MockAnthropic;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Claude Code (the pinned CLI, {@code -p} mode, offline against {@link MockAnthropic}) with the hooks that
 * {@code hooks install} writes, against the packaged hookbus in its own process, watched over the bridge as the
 * dashboard watches it. Runs only with {@code mvn -Pclaude-e2e verify}: it needs the 380 MB CLI in a cache outside
 * the repository.
 */
class ClaudeCodeIT {
  private static final Path JAR = Path.of(System.getProperty("hookbus.jar", "target/hookbus.jar"));
  private static final int WAIT_S = 60;
  /** hookbus's {@code approvals.holdMs} here (the default): the installed PermissionRequest timeout must exceed it. */
  private static final long HOLD_MS = 120_000;
  /** A stdio MCP server that asks the person (elicitation/create) when its one tool is called. */
  private static final Path MCP_SERVER = Path.of("src", "test", "claude", "elicit-mcp-server.js");

  /** One hookbus for the class: every test's session has its own id, and the checks look only at their own. */
  @TempDir
  static Path hookbusDir;
  private static Vertx vertx;
  private static HookbusProcess hookbus;
  private static BridgeClient watcher;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // The watcher sends no bridge pings (the official client sends one every 5 s): without a longer ping timeout
    // the bridge drops it after 10 s, and a session that takes longer on a loaded machine goes unseen.
    String config = new JsonObject().put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0).put("pingTimeoutMs", 3_600_000))
        .put("approvals", new JsonObject().put("holdMs", HOLD_MS))
        .put("store", new JsonObject().put("path", hookbusDir.resolve("data").toString())).encode();
    hookbus = HookbusProcess.startJar(JAR, hookbusDir, config);
    assertThat(hookbus.listening()).as(hookbus.log()).isTrue();
    watcher = result(RawWebSocketBridgeClient.connect(vertx, hookbus.bridgePort()));
    result(watcher.register(Addresses.EVENTS));
    // The sync reply proves the bridge processed the registration before it.
    result(watcher.request(Addresses.SYNC, new JsonObject()));
  }

  @AfterAll
  static void stop() {
    if (watcher != null) {
      result(watcher.close());
    }
    if (hookbus != null) {
      hookbus.close();
    }
    result(vertx.close());
  }

  @Test
  @DisplayName("a headless session runs echo hi through Bash: hookbus sees the prompt, the tool's pre and post "
      + "with the command, the stop and the end, and keeps no session open")
  void bashRunsAndHookbusSeesIt() throws Exception {
    MockAnthropic model = result(MockAnthropic.start(vertx, "echo hi", "The command printed hi."));
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Run echo hi with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort())
        .allowedTools("Bash").start()) {
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      JsonObject outcome = claude.result();
      assertThat(outcome.getString("result")).isEqualTo("The command printed hi.");
      String sessionId = outcome.getString("session_id");
      assertThat(model.toolResults()).singleElement()
          .satisfies(r -> assertThat(r.getValue("content")).isEqualTo("hi"));

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("bash-runs", ofSession, model);
      assertThat(ofSession).extracting(e -> e.getString("type"))
          .containsSubsequence("prompt:submit", "tool:pre", "tool:post", "turn:stop", "session:end");
      assertThat(ofSession.stream().filter(is("session:start", sessionId))
          .filter(e -> !e.getJsonObject("payload").getBoolean("late", false)))
          .as("one start; a SessionStart that came after the prompt only enriches").hasSize(1);
      JsonObject prompt = first(ofSession, "prompt:submit").getJsonObject("payload");
      assertThat(prompt.getString("prompt")).isEqualTo("Run echo hi with Bash");
      for (String type : List.of("tool:pre", "tool:post")) {
        JsonObject tool = first(ofSession, type).getJsonObject("payload");
        assertThat(tool.getString("toolName")).isEqualTo("Bash");
        assertThat(tool.getJsonObject("toolInput").getString("command")).isEqualTo("echo hi");
        assertThat(tool.getString("toolUseId")).isEqualTo(MockAnthropic.TOOL_USE_ID);
      }
      assertThat(first(ofSession, "tool:post").getJsonObject("payload").getJsonObject("toolResponse")
          .getString("stdout")).isEqualTo("hi");
      assertThat(first(ofSession, "turn:stop").getJsonObject("payload").getString("lastMessage"))
          .isEqualTo("The command printed hi.");
      assertThat(first(ofSession, "session:end").getJsonObject("payload").getString("reason")).isEqualTo("other");

      assertThat(openSessionIds()).as("no session is left open (a late SessionStart must not reopen it)")
          .doesNotContain(sessionId);
    }
  }

  @Test
  @DisplayName("without --allowedTools a command that changes files fires PermissionRequest; hookbus's {} leaves "
      + "no one to ask in -p mode, so the tool is denied, the model is told, and only PostToolBatch follows")
  void permissionRequestWithNoAnswerIsADenial() throws Exception {
    MockAnthropic model = result(MockAnthropic.start(vertx, "touch made-by-claude.txt", "It was not allowed."));
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Create a file with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort()).start()) {
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(outcome.getJsonArray("permission_denials")).singleElement()
          .satisfies(d -> assertThat(((JsonObject) d).getString("tool_name")).isEqualTo("Bash"));
      assertThat(claude.dir().resolve("project").resolve("made-by-claude.txt")).doesNotExist();
      assertThat(model.toolResults()).singleElement().satisfies(r -> {
        assertThat(r.getBoolean("is_error")).isTrue();
        assertThat(r.getString("content")).contains("needs approval");
      });

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("permission-denied", ofSession, model);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("prompt:submit", "tool:pre",
          "permission:request", "claude:post-tool-batch", "turn:stop", "session:end");
      assertThat(ofSession).extracting(e -> e.getString("type")).doesNotContain("tool:post", "tool:failure");
      JsonObject request = first(ofSession, "permission:request").getJsonObject("payload");
      assertThat(request.getString("toolName")).isEqualTo("Bash");
      assertThat(request.getJsonObject("toolInput").getString("command")).isEqualTo("touch made-by-claude.txt");
      assertThat(request.getJsonArray("permissionSuggestions")).isNotEmpty();
      assertThat(request.containsKey("toolUseId")).as("a PermissionRequest carries no tool-use id").isFalse();
      JsonObject afterBatch = viewUntil(ofSession, sessionId, "claude:post-tool-batch");
      assertThat(afterBatch.getValue("waitingFor")).as("the batch after a denial ends the wait").isNull();
      assertThat(afterBatch.getValue("currentTool")).isNull();
      assertThat(afterBatch.getLong("toolCalls")).as("the denied tool does not count").isZero();
      assertThat(viewUntil(ofSession, sessionId, "turn:stop").getString("status")).isEqualTo("idle");
    }
  }

  @Test
  @DisplayName("without --allowedTools, a viewer on the bridge (as the dashboard) sees the PermissionRequest pending "
      + "and allows it: the command really runs, PostToolUse arrives, and the model is shown a success")
  void viewerAllowsAndTheCommandRuns() throws Exception {
    MockAnthropic model = result(MockAnthropic.start(vertx, "touch allowed-by-viewer.txt", "The file is there."));
    BridgeClient viewer = decider();
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Create a file with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort()).start()) {
      assertThat(permissionTimeoutMs(claude.settings())).as("the installed PermissionRequest timeout")
          .isGreaterThan(HOLD_MS);
      JsonObject pending = awaitApproval(viewer, "approval:pending", claude);
      assertThat(pending.getString("toolName")).isEqualTo("Bash");
      assertThat(pending.getJsonObject("toolInput").getString("command")).isEqualTo("touch allowed-by-viewer.txt");
      JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE,
          new JsonObject().put("id", pending.getString("id")).put("behavior", "allow")));
      assertThat(reply.getJsonObject("body").getBoolean("ok")).as(reply.encode()).isTrue();

      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(pending.getString("sessionId")).isEqualTo(sessionId);
      assertThat(outcome.getString("result")).isEqualTo("The file is there.");
      assertThat(outcome.getJsonArray("permission_denials")).isEmpty();
      assertThat(claude.dir().resolve("project").resolve("allowed-by-viewer.txt")).exists();
      assertThat(model.toolResults()).singleElement()
          .satisfies(r -> assertThat(r.getBoolean("is_error", false)).as(r.encode()).isFalse());
      assertThat(awaitApproval(viewer, "approval:decided", claude).getString("decidedBy")).isEqualTo("local");

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("viewer-allows", ofSession, model);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("tool:pre",
          "permission:request", "tool:post", "turn:stop", "session:end");
      assertThat(first(ofSession, "tool:post").getJsonObject("payload").getJsonObject("toolInput")
          .getString("command")).isEqualTo("touch allowed-by-viewer.txt");
      JsonObject beforeEnd = viewUntil(ofSession, sessionId, "turn:stop");
      assertThat(beforeEnd.getString("status")).isEqualTo("idle");
      assertThat(beforeEnd.getLong("toolCalls")).isEqualTo(1);
    } finally {
      closeDecider(viewer);
    }
  }

  @Test
  @DisplayName("a viewer denies with a message: the model's tool_result carries that message, the file is not made, "
      + "and the session ends idle with the denied tool not counted, not stuck waiting")
  void viewerDeniesWithAMessage() throws Exception {
    String message = "Not in this repository, please.";
    MockAnthropic model = result(MockAnthropic.start(vertx, "touch denied-by-viewer.txt", "I will not make it."));
    BridgeClient viewer = decider();
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Create a file with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort()).start()) {
      JsonObject pending = awaitApproval(viewer, "approval:pending", claude);
      assertThat(pending.getJsonObject("toolInput").getString("command")).isEqualTo("touch denied-by-viewer.txt");
      JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject()
          .put("id", pending.getString("id")).put("behavior", "deny").put("message", message)));
      assertThat(reply.getJsonObject("body").getBoolean("ok")).as(reply.encode()).isTrue();

      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(outcome.getString("result")).isEqualTo("I will not make it.");
      assertThat(claude.dir().resolve("project").resolve("denied-by-viewer.txt")).doesNotExist();
      assertThat(model.toolResults()).singleElement().satisfies(r -> {
        assertThat(r.getBoolean("is_error")).isTrue();
        assertThat(r.getValue("content").toString()).contains(message);
      });
      JsonObject decided = awaitApproval(viewer, "approval:decided", claude);
      assertThat(decided.getJsonObject("decision").getString("message")).isEqualTo(message);

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("viewer-denies", ofSession, model);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("tool:pre",
          "permission:request", "turn:stop", "session:end");
      assertThat(ofSession).extracting(e -> e.getString("type")).doesNotContain("tool:post", "tool:failure");
      JsonObject afterDecision = viewUntil(ofSession, sessionId, "approval:decided");
      assertThat(afterDecision.getValue("waitingFor")).as("the denial ends the wait at once").isNull();
      JsonObject beforeEnd = viewUntil(ofSession, sessionId, "turn:stop");
      assertThat(beforeEnd.getString("status")).isEqualTo("idle");
      assertThat(beforeEnd.getValue("waitingFor")).isNull();
      assertThat(beforeEnd.getValue("currentTool")).isNull();
      assertThat(beforeEnd.getLong("toolCalls")).as("the denied tool does not count").isZero();
      assertThat(openSessionIds()).doesNotContain(sessionId);
    } finally {
      closeDecider(viewer);
    }
  }

  @Test
  @DisplayName("a viewer denies with interrupt: Claude Code aborts the turn at once (exit 1, aborted_tools, the model "
      + "never asked again, no Stop, no PostToolBatch, only SessionEnd follows), and hookbus's view ends not waiting")
  void viewerDeniesWithInterrupt() throws Exception {
    MockAnthropic model = result(MockAnthropic.start(vertx, "touch interrupted-by-viewer.txt", "Never said."));
    BridgeClient viewer = decider();
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Create a file with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort()).start()) {
      JsonObject pending = awaitApproval(viewer, "approval:pending", claude);
      JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject()
          .put("id", pending.getString("id")).put("behavior", "deny").put("message", "Stop right there.")
          .put("interrupt", true)));
      assertThat(reply.getJsonObject("body").getBoolean("ok")).as(reply.encode()).isTrue();

      assertThat(claude.waitForExit()).as("an interrupted -p run exits 1; " + claude.stderr()).isEqualTo(1);
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(pending.getString("sessionId")).isEqualTo(sessionId);
      assertThat(outcome.getString("subtype")).isEqualTo("error_during_execution");
      assertThat(outcome.getString("terminal_reason")).isEqualTo("aborted_tools");
      assertThat(outcome.getJsonArray("permission_denials")).singleElement()
          .satisfies(d -> assertThat(((JsonObject) d).getString("tool_name")).isEqualTo("Bash"));
      assertThat(model.messageRequests().stream().filter(r -> !r.body().getJsonArray("tools", new JsonArray())
          .isEmpty())).as("the conversation's one turn: the model is not shown the denial").hasSize(1);
      assertThat(model.toolResults()).isEmpty();
      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("viewer-interrupts", ofSession, model);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("tool:pre",
          "permission:request", "approval:decided", "session:end");
      assertThat(ofSession).extracting(e -> e.getString("type")).doesNotContain("tool:post", "tool:failure",
          "claude:post-tool-batch", "turn:stop");
      assertThat(first(ofSession, "approval:decided").getJsonObject("payload").getJsonObject("decision")
          .getBoolean("interrupt")).isTrue();
      JsonObject afterDecision = viewUntil(ofSession, sessionId, "approval:decided");
      assertThat(afterDecision.getValue("waitingFor")).as("the interrupt ends the wait at once").isNull();
      assertThat(afterDecision.getValue("currentTool")).isNull();
      assertThat(afterDecision.getLong("toolCalls")).as("the denied tool does not count").isZero();
      assertThat(claude.dir().resolve("project").resolve("interrupted-by-viewer.txt")).doesNotExist();
      assertThat(openSessionIds()).doesNotContain(sessionId);
    } finally {
      closeDecider(viewer);
    }
  }

  @Test
  @DisplayName("a viewer allows always with the suggestion the dashboard picks (an allow rule for a command, accept "
      + "edits for one that writes a file): the same command a second time runs without a second PermissionRequest")
  void viewerAllowsAlways() throws Exception {
    String writes = "touch always-allowed.txt";
    String runs = "node -e \"console.log('always')\"";
    MockAnthropic model = result(MockAnthropic.startWithTools(vertx, List.of(
        MockAnthropic.ToolUse.bash("toolu_hookbus_e2e_always_1", writes),
        MockAnthropic.ToolUse.bash("toolu_hookbus_e2e_always_2", writes),
        MockAnthropic.ToolUse.bash("toolu_hookbus_e2e_always_3", runs),
        MockAnthropic.ToolUse.bash("toolu_hookbus_e2e_always_4", runs)), "All four ran."));
    BridgeClient viewer = decider();
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Run these with Bash, twice each").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort()).start()) {
      // Every request that comes is answered "always" (a second one for the same command is the failure, seen below).
      List<JsonObject> answered = new java.util.ArrayList<>();
      while (claude.running() || pendingCount(viewer) > answered.size()) {
        int next = answered.size();
        result(Eventually.until(vertx, () -> io.vertx.core.Future.succeededFuture(pendingCount(viewer)),
            count -> count > next || !claude.running(), Duration.ofSeconds(WAIT_S)));
        if (pendingCount(viewer) > next) {
          JsonObject pending = pendings(viewer).get(next);
          JsonObject rule = alwaysSuggestion(pending.getJsonArray("suggestions"));
          JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject()
              .put("id", pending.getString("id")).put("behavior", "allow")
              .put("updatedPermissions", new JsonArray().add(rule))));
          assertThat(reply.getJsonObject("body").getBoolean("ok")).as(reply.encode()).isTrue();
          answered.add(pending.copy().put("sent", rule));
        }
      }
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      assertThat(answered).as("asked once per command; the rule answered the second: " + answered)
          .extracting(a -> a.getJsonObject("toolInput").getString("command")).containsExactly(writes, runs);
      assertThat(answered).extracting(a -> a.getJsonObject("sent").getString("type"))
          .containsExactly("setMode", "addRules");
      assertThat(answered.get(1).getJsonObject("sent").getJsonArray("rules").getJsonObject(0).getString("toolName"))
          .isEqualTo("Bash");
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(outcome.getString("result")).isEqualTo("All four ran.");
      assertThat(outcome.getJsonArray("permission_denials")).isEmpty();
      assertThat(model.toolResults()).hasSize(4)
          .allSatisfy(r -> assertThat(r.getBoolean("is_error", false)).as(r.encode()).isFalse());

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("viewer-allows-always", ofSession, model);
      List<String> types = ofSession.stream().map(e -> e.getString("type")).toList();
      assertThat(types).containsSubsequence("tool:pre", "permission:request", "tool:post", "tool:pre", "tool:post",
          "tool:pre", "permission:request", "tool:post", "tool:pre", "tool:post", "turn:stop", "session:end");
      assertThat(types.stream().filter("permission:request"::equals)).as("hooks hookbus received").hasSize(2);
      assertThat(types.stream().filter("tool:post"::equals)).hasSize(4);
      assertThat(viewUntil(ofSession, sessionId, "turn:stop").getLong("toolCalls")).isEqualTo(4);
    } finally {
      closeDecider(viewer);
    }
  }

  private static List<JsonObject> pendings(BridgeClient viewer) {
    return viewer.bodies(Addresses.APPROVALS).stream().filter(b -> "approval:pending".equals(b.getString("type")))
        .map(b -> b.getJsonObject("payload")).toList();
  }

  private static int pendingCount(BridgeClient viewer) {
    return pendings(viewer).size();
  }

  /** The suggestion the dashboard's "always allow" sends (js/inbox.js {@code always}): allow rule, accept edits, dir. */
  private static JsonObject alwaysSuggestion(JsonArray suggestions) {
    java.util.function.ToIntFunction<JsonObject> rank = s -> ("addRules".equals(s.getString("type"))
        || "replaceRules".equals(s.getString("type"))) && "allow".equals(s.getString("behavior")) ? 0
        : "setMode".equals(s.getString("type")) && "acceptEdits".equals(s.getString("mode")) ? 1
        : "addDirectories".equals(s.getString("type")) ? 2 : -1;
    return suggestions.stream().map(JsonObject.class::cast).filter(s -> rank.applyAsInt(s) >= 0)
        .min(java.util.Comparator.comparingInt(rank)).orElseThrow(() -> new AssertionError("nothing to always allow in "
            + suggestions.encode()));
  }

  @Test
  @DisplayName("an MCP server (stdio, via --mcp-config) asks the person mid-tool: hookbus holds the Elicitation, a "
      + "viewer accepts with content, and the tool result the model is shown carries that content")
  void viewerAnswersAnMcpElicitation() throws Exception {
    Path mcpLog = dir.resolve("mcp-messages.jsonl");
    Path mcpConfig = dir.resolve("mcp.json");
    Files.writeString(mcpConfig, new JsonObject().put("mcpServers", new JsonObject().put("deploy-desk",
        new JsonObject().put("type", "stdio").put("command", "node")
            .put("args", new JsonArray().add(MCP_SERVER.toAbsolutePath().toString()))
            .put("env", new JsonObject().put("ELICIT_MCP_LOG", mcpLog.toString())))).encode());
    String tool = "mcp__deploy-desk__ask_release";
    MockAnthropic model = result(MockAnthropic.startWithTools(vertx, List.of(
        new MockAnthropic.ToolUse("toolu_hookbus_e2e_mcp", tool, new JsonObject())), "v1.4 goes out."));
    BridgeClient viewer = decider();
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Ask me which release to deploy").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort())
        .args("--mcp-config", mcpConfig.toString(), "--strict-mcp-config").allowedTools(tool).start()) {
      assertThat(hookTimeoutMs(claude.settings(), "Elicitation")).as("the installed Elicitation timeout")
          .isGreaterThan(HOLD_MS);
      JsonObject pending;
      try {
        pending = awaitApproval(viewer, "approval:pending", claude);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the MCP server's messages: " + read(mcpLog), e);
      }
      assertThat(pending.getString("kind")).isEqualTo("elicitation");
      assertThat(pending.getString("server")).isEqualTo("deploy-desk");
      assertThat(pending.getString("message")).isEqualTo("Which release should go out?");
      assertThat(pending.getJsonObject("requestedSchema").getJsonArray("required")).containsExactly("name", "confirm");
      JsonObject content = new JsonObject().put("name", "v1.4").put("replicas", 2).put("confirm", true)
          .put("region", "eu");
      JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject()
          .put("id", pending.getString("id")).put("action", "accept").put("content", content)));
      assertThat(reply.getJsonObject("body").getBoolean("ok")).as(reply.encode()).isTrue();

      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      JsonObject outcome = claude.result();
      String sessionId = outcome.getString("session_id");
      assertThat(outcome.getString("result")).isEqualTo("v1.4 goes out.");
      assertThat(model.toolResults()).singleElement().satisfies(r -> {
        assertThat(r.getBoolean("is_error", false)).as(r.encode()).isFalse();
        String shown = text(r.getValue("content"));
        assertThat(shown).startsWith("elicitation answer: ");
        assertThat(new JsonObject(shown.substring("elicitation answer: ".length())))
            .isEqualTo(new JsonObject().put("action", "accept").put("content", content));
      });

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("viewer-answers-elicitation", ofSession, model);
      Files.copy(mcpLog, Path.of("target", "claude-e2e", "viewer-answers-elicitation.mcp-messages.jsonl"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("tool:pre", "elicitation",
          "tool:post", "turn:stop", "session:end");
      JsonObject asked = first(ofSession, "elicitation").getJsonObject("payload");
      assertThat(asked.getString("mcpServerName")).isEqualTo("deploy-desk");
      assertThat(asked.getString("mode")).isEqualTo("form");
      JsonObject afterAnswer = viewUntil(ofSession, sessionId, "approval:decided");
      assertThat(afterAnswer.getValue("waitingFor")).as("the answer ends the wait").isNull();
    } finally {
      closeDecider(viewer);
    }
  }

  @Test
  @DisplayName("a subagent runs the command in the background: hookbus tracks it under its agent_id with its own "
      + "tool calls, and the session still ends with no agent and no session left")
  void subagentRunsInTheBackground() throws Exception {
    MockAnthropic model = result(MockAnthropic.startWithSubagent(vertx, "echo sub", "The subagent is done."));
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Have a subagent run echo sub").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort())
        .allowedTools("Bash").start()) {
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      String sessionId = claude.result().getString("session_id");
      assertThat(claude.result().getString("result")).isEqualTo("The subagent is done.");

      List<JsonObject> events = awaitEnd(sessionId, claude);
      List<JsonObject> ofSession = events.stream().filter(e -> sessionId.equals(e.getString("sessionId"))).toList();
      keep("subagent", ofSession, model);
      JsonObject start = first(ofSession, "subagent:start");
      String agentId = start.getString("agentId");
      assertThat(agentId).matches("a[0-9a-f]{16}");
      assertThat(start.getJsonObject("payload").getString("agentType")).isEqualTo("general-purpose");
      assertThat(ofSession).filteredOn(e -> agentId.equals(e.getString("agentId")))
          .extracting(e -> e.getString("type"))
          .containsSubsequence("subagent:start", "tool:pre", "tool:post", "subagent:stop");
      JsonObject subagentBash = ofSession.stream().filter(e -> agentId.equals(e.getString("agentId")))
          .filter(e -> "tool:pre".equals(e.getString("type"))).findFirst().orElseThrow();
      assertThat(subagentBash.getJsonObject("payload").getJsonObject("toolInput").getString("command"))
          .isEqualTo("echo sub");
      assertThat(first(ofSession, "subagent:stop").getJsonObject("payload").getString("agentLastMessage"))
          .isEqualTo(MockAnthropic.SUBAGENT_REPLY);
      assertThat(ofSession).extracting(e -> e.getString("type")).containsSubsequence("tool:pre", "subagent:start",
          "turn:stop", "subagent:stop", "prompt:submit", "turn:stop", "session:end");
      assertThat(openSessionIds()).doesNotContain(sessionId);
    }
  }

  @Test
  @DisplayName("with telemetry on, the same session also exports OTLP/JSON logs (api_request with the model and cost) "
      + "and delta metrics (cost, tokens) under the hooks' session id, before it exits")
  void telemetryGoesOutWithTheHooks() throws Exception {
    MockAnthropic model = result(MockAnthropic.start(vertx, "echo hi", "The command printed hi."));
    // MockAnthropic records every request it gets, so it stands in for an OTLP receiver too.
    try (model; ClaudeCodeProcess claude = ClaudeCodeProcess.prompt("Run echo hi with Bash").under(dir)
        .apiBaseUrl(model.baseUrl()).hookbusUrl("http://127.0.0.1:" + hookbus.ingestPort())
        .allowedTools("Bash").telemetry(model.baseUrl()).start()) {
      assertThat(claude.waitForExit()).as(claude.stderr()).isZero();
      String sessionId = claude.result().getString("session_id");
      String asked = model.messageRequests().get(0).body().getString("model");
      List<MockAnthropic.Recorded> otlp = model.requests().stream().filter(r -> r.path().startsWith("/v1/logs")
          || r.path().startsWith("/v1/metrics")).toList();
      keep("telemetry", List.of(), model);
      assertThat(otlp).allSatisfy(r -> {
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("user-agent")).startsWith("OTel-OTLP-Exporter-JavaScript");
      });
      assertThat(otlp.stream().filter(r -> r.path().startsWith("/v1/logs"))
          .flatMap(r -> records(r.body(), "resourceLogs", "scopeLogs", "logRecords").stream()))
          .anySatisfy(log -> {
            assertThat(log.getJsonObject("body").getString("stringValue")).isEqualTo("claude_code.api_request");
            assertThat(attribute(log, "session.id")).isEqualTo(sessionId);
            assertThat(attribute(log, "model")).isEqualTo(asked);
          });
      assertThat(otlp.stream().filter(r -> r.path().startsWith("/v1/metrics"))
          .flatMap(r -> records(r.body(), "resourceMetrics", "scopeMetrics", "metrics").stream())
          .map(m -> m.getString("name"))).contains("claude_code.cost.usage", "claude_code.token.usage");
    }
  }

  /**
   * A viewer on SockJS's websocket transport (the official client's protocol) registered on the approvals, as the
   * dashboard is; returns once ingest counts it as a decider, so a PermissionRequest is held for it.
   */
  private static BridgeClient decider() {
    BridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(vertx, hookbus.bridgePort()));
    result(viewer.register(Addresses.APPROVALS));
    awaitDeciders(1);
    return viewer;
  }

  /** Closes the viewer and waits until ingest no longer holds for it (the other tests expect no one to decide). */
  private static void closeDecider(BridgeClient viewer) {
    result(viewer.close());
    awaitDeciders(0);
  }

  private static void awaitDeciders(int count) {
    WebClient http = WebClient.create(vertx);
    try {
      result(Eventually.until(vertx, () -> http.get(hookbus.ingestPort(), "127.0.0.1", "/api/approvals").send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == count,
          Duration.ofSeconds(WAIT_S)));
    } finally {
      http.close();
    }
  }

  /** The payload of the first approval envelope of {@code type} the viewer got; a timeout says what Claude did. */
  private static JsonObject awaitApproval(BridgeClient viewer, String type, ClaudeCodeProcess claude) {
    try {
      return result(viewer.await(Addresses.APPROVALS, all -> all.stream()
          .anyMatch(b -> type.equals(b.getString("type")))), WAIT_S).stream()
          .filter(b -> type.equals(b.getString("type"))).findFirst().orElseThrow().getJsonObject("payload");
    } catch (AssertionError timeout) {
      throw new AssertionError(timeout.getMessage() + "; the viewer got " + viewer.bodies(Addresses.APPROVALS)
          + "; claude's stderr: " + claude.stderr() + "; hookbus's log:\n" + hookbus.log(), timeout);
    }
  }

  /** The installed PermissionRequest hook's {@code timeout}, in milliseconds. */
  private static long permissionTimeoutMs(JsonObject settings) {
    return hookTimeoutMs(settings, "PermissionRequest");
  }

  private static long hookTimeoutMs(JsonObject settings, String event) {
    return settings.getJsonObject("hooks").getJsonArray(event).getJsonObject(0).getJsonArray("hooks")
        .getJsonObject(0).getLong("timeout") * 1000;
  }

  /** A tool result's content as the text it shows: a string, or its text blocks joined. */
  private static String text(Object content) {
    if (content instanceof JsonArray blocks) {
      return blocks.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .map(b -> b.getString("text", "")).collect(java.util.stream.Collectors.joining());
    }
    return String.valueOf(content);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(none: " + file + " was not written)";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /**
   * The session's view as a client holds it after the first envelope of {@code type}: every envelope's
   * {@code view.sessions.<id>} change folded in, in order.
   */
  private static JsonObject viewUntil(List<JsonObject> ofSession, String sessionId, String type) {
    JsonObject view = new JsonObject();
    for (JsonObject envelope : ofSession) {
      JsonObject sessions = envelope.getJsonObject("view", new JsonObject()).getJsonObject("sessions");
      if (sessions != null && sessions.getValue(sessionId) instanceof JsonObject change) {
        view.mergeIn(change);
      }
      if (type.equals(envelope.getString("type"))) {
        return view;
      }
    }
    throw new AssertionError("no " + type + " in " + ofSession);
  }

  /**
   * The envelopes once the session's end and its own SessionStart arrived. SessionStart is an async command hook
   * (curl in the background), so it may come after the first prompt (then as {@code session:info}) or even after
   * the end; a timeout says what did arrive.
   */
  private List<JsonObject> awaitEnd(String sessionId, ClaudeCodeProcess claude) {
    try {
      return result(watcher.await(Addresses.EVENTS, all -> all.stream().anyMatch(is("session:end", sessionId))
          && all.stream().anyMatch(is("session:start", sessionId).and(e -> !autoOpened(e))
              .or(is("session:info", sessionId).and(ClaudeCodeIT::fromSessionStart)))), WAIT_S);
    } catch (AssertionError timeout) {
      throw new AssertionError(timeout.getMessage() + "; hookbus published for the session "
          + watcher.bodies(Addresses.EVENTS).stream().filter(e -> sessionId.equals(e.getString("sessionId")))
          .map(e -> e.getString("type") + (autoOpened(e) ? "(auto)" : "")).toList() + "; claude's stderr: "
          + claude.stderr() + "; hookbus's log:\n" + hookbus.log(), timeout);
    }
  }

  /** The innermost list of an OTLP/JSON export, e.g. every log record of every scope of every resource. */
  private static List<JsonObject> records(JsonObject export, String resources, String scopes, String items) {
    return export.getJsonArray(resources).stream().map(JsonObject.class::cast)
        .flatMap(resource -> resource.getJsonArray(scopes).stream().map(JsonObject.class::cast))
        .flatMap(scope -> scope.getJsonArray(items).stream().map(JsonObject.class::cast)).toList();
  }

  private static Object attribute(JsonObject record, String key) {
    return record.getJsonArray("attributes").stream().map(JsonObject.class::cast)
        .filter(a -> key.equals(a.getString("key"))).findFirst()
        .map(a -> a.getJsonObject("value").stream().findFirst().orElseThrow().getValue()).orElse(null);
  }

  /**
   * Leaves what the run produced in {@code target/claude-e2e/<name>.*}: the envelopes hookbus published and the
   * requests the model got, for reading what a real Claude Code sends.
   */
  private static void keep(String name, List<JsonObject> envelopes, MockAnthropic model) throws IOException {
    Path out = Files.createDirectories(Path.of("target", "claude-e2e"));
    Files.write(out.resolve(name + ".envelopes.jsonl"), envelopes.stream().map(JsonObject::encode).toList());
    Files.write(out.resolve(name + ".model-requests.jsonl"), model.requests().stream()
        .map(r -> new JsonObject().put("method", r.method()).put("path", r.path())
            .put("headers", new JsonObject(Map.<String, Object>copyOf(r.headers()))).put("body", r.body()).encode())
        .toList());
  }

  /** The sessions hookbus has open now, from {@code GET /api/sessions}. */
  private static List<String> openSessionIds() {
    WebClient http = WebClient.create(vertx);
    try {
      JsonObject snapshot = result(http.get(hookbus.ingestPort(), "127.0.0.1", "/api/sessions").send())
          .bodyAsJsonObject();
      return snapshot.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("sessionId")).toList();
    } finally {
      http.close();
    }
  }

  private static Predicate<JsonObject> is(String type, String sessionId) {
    return e -> type.equals(e.getString("type")) && sessionId.equals(e.getString("sessionId"));
  }

  /** A SessionStart that came after the session was auto-opened is published as {@code session:info}. */
  private static boolean fromSessionStart(JsonObject envelope) {
    return "SessionStart".equals(envelope.getJsonObject("payload").getString("hookEventName"));
  }

  private static boolean autoOpened(JsonObject envelope) {
    return envelope.getJsonObject("payload").getBoolean("autoOpened", false);
  }

  private static JsonObject first(List<JsonObject> envelopes, String type) {
    return envelopes.stream().filter(e -> type.equals(e.getString("type"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + envelopes));
  }
}
