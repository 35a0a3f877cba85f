package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.hookbus.dashboard.BrowserHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page reads the snapshot once, then applies the view changes each envelope carries; it knows no state rule.
 * After every kind of event its own state must equal the server's snapshot, field by field.
 */
@ExtendWith(VertxExtension.class)
class DashboardStateTest {
  /** The same projection of both states, so they compare field by field. */
  static final String PROJECT_BOTH = """
      server => {
        const project = state => ({
          queue: state.queue,
          sessions: [...state.sessions].map(s => ({
            sessionId: s.sessionId, teamKey: s.teamKey, tableIndex: s.tableIndex, contextPercent: s.contextPercent,
            tokensUsed: s.tokensUsed, contextWindow: s.contextWindow, costUsd: s.costUsd, status: s.status,
            waitingFor: s.waitingFor, waitingDetail: s.waitingDetail, currentTool: s.currentTool,
            toolStartedAt: s.toolStartedAt, toolCalls: s.toolCalls, toolFailures: s.toolFailures, prompts: s.prompts,
            events: s.events, cwd: s.cwd, model: s.model, lastMessage: s.lastMessage, createdAt: s.createdAt,
            lastEventAt: s.lastEventAt,
            agents: [...s.agents].map(a => [a.agentId, a.agentType, a.description, a.currentTool, a.toolStartedAt])
              .sort(),
          })).sort((a, b) => a.sessionId.localeCompare(b.sessionId)),
        });
        const local = hookbus.store;
        const localState = {
          queue: local.queue,
          sessions: [...local.sessions.values()].map(s => ({ ...s, agents: [...s.agents.values()] })),
        };
        return JSON.stringify([project(localState), project(JSON.parse(server))]);
      }""";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private TestServer server;

  @BeforeEach
  void deploy(Vertx vertx) {
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", 3)));
  }

  @Test
  void thePagesOwnStateEqualsTheServersSnapshot() {
    Page page = browser.open(server.bridgePort(), 1280, 800, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");

    post(event("tool:pre", "auto", "toolName", "Read", "cwd", "/w/auto", "model", "m1"),
        event("session:start", "s1", "cwd", "/w/one"), event("session:start", "s2"),
        event("session:start", "s3"), event("tool:pre", "s4", "toolName", "Bash"));
    post(event("subagent:start", "s1", "agentId", "a1", "agentType", "Explore", "description", "d".repeat(400)),
        event("tool:pre", "s1", "agentId", "a1", "toolName", "Grep"),
        event("subagent:start", "s1", "agentId", "a2", "agentType", "Plan"),
        event("tool:pre", "s1", "agentId", "a2", "toolName", "Read"),
        event("tool:post", "s1", "agentId", "a2", "toolName", "Read"),
        event("subagent:stop", "s1", "agentId", "a2"),
        event("context:update", "s1", "percent", 55.5, "tokens", 111_000, "windowSize", 200_000, "costUsd", 0.5),
        event("permission:request", "s2", "toolName", "Write"),
        event("notification", "s3", "notificationType", "idle_prompt", "message", "m".repeat(300)),
        event("elicitation", "auto", "message", "Which database?"),
        event("tool:failure", "s2", "toolName", "Read", "error", "nope"),
        event("prompt:submit", "s2", "prompt", "go on"),
        event("turn:stop", "s3", "lastMessage", "x".repeat(500)),
        event("notification", "s1", "notificationType", "auth_success", "message", "ignored"),
        event("compact", "s1", "trigger", "auto"),
        event("session:end", "auto", "reason", "clear"),
        event("tool:pre", "s5", "toolName", "Edit", "contextPercent", 12));
    List<Long> last = post(event("context:update", "s4", "percent", 91, "tokens", 182_000));

    PlaywrightAssertions.assertThat(page.locator("#events .ev[data-seq='" + last.get(0) + "']")).hasCount(1);
    String snapshot = server.get("/api/sessions").bodyAsString();
    JsonArray both = new JsonArray((String) page.evaluate(PROJECT_BOTH, snapshot));
    assertThat(both.getJsonObject(0).encodePrettily()).isEqualTo(both.getJsonObject(1).encodePrettily());
    assertThat(both.getJsonObject(1).getJsonArray("queue")).containsExactly("s4", "s5");
    assertThat(((Number) page.evaluate("hookbus.connection.syncs")).intValue()).isEqualTo(1);
  }

  private List<Long> post(JsonObject... events) {
    return server.postBatch(events);
  }
}
