package dev.hookbus.dashboard;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static dev.hookbus.dashboard.BrowserHarness.event;

/** A believable afternoon: six sessions at work in every state a person cares about, and one waiting for a table. */
final class Scene {
  static final String SHOP = "3f9a1c2e-7b41-4d0a-9e55-0c8d2f6b1a77";
  static final String API = "b72d44e0-1c9f-4a6b-8f21-5e3a9d0c4b12";
  static final String DOCS = "e05c9b3a-6f12-4e8d-a7c4-92b1d3f0e568";
  static final String INFRA = "7ad3e1f4-0b2c-4c5d-8e6f-1a2b3c4d5e6f";
  static final String MOBILE = "c4e8f2a1-5d6b-4a3c-9b8e-7f1d2c3b4a59";
  static final String DATA = "91b0d7c3-2e4f-4a1b-8c9d-0e1f2a3b4c5d";
  static final String LATE = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

  private Scene() {
  }

  static List<JsonObject[]> rounds() {
    List<JsonObject[]> rounds = new ArrayList<>();
    rounds.add(new JsonObject[] {
        start(SHOP, "/home/ana/src/shop-frontend", "claude-opus-4-5"),
        start(API, "/home/ana/src/payments-api", "claude-sonnet-4-5"),
        start(DOCS, "/home/ana/src/docs-site", "claude-haiku-4-5"),
        start(INFRA, "/home/ana/src/infra", "claude-sonnet-4-5"),
        start(MOBILE, "/home/ana/src/mobile-app", "claude-opus-4-5"),
        start(DATA, "/home/ana/src/data-pipeline", "claude-sonnet-4-5"),
        start(LATE, "/home/ana/src/playground", "claude-haiku-4-5")});
    for (int i = 0; i < 6; i++) {
      rounds.add(new JsonObject[] {
          event("prompt:submit", SHOP, "prompt", "Make the checkout page load faster"),
          event("tool:pre", SHOP, "toolName", "Read",
              "toolInput", new JsonObject().put("file_path", "src/Checkout.tsx")),
          event("tool:post", SHOP, "toolName", "Read"),
          event("tool:pre", API, "toolName", "Bash", "toolInput", new JsonObject().put("command", "mvn -q test")),
          event("tool:post", API, "toolName", "Bash"),
          event("tool:pre", DATA, "toolName", "Grep", "toolInput", new JsonObject().put("pattern", "parse_row")),
          event("tool:post", DATA, "toolName", "Grep"),
          event("context:update", DATA, "percent", 80 + i * 2.5, "tokens", 160_000 + i * 5_000, "windowSize", 200_000),
          event("tool:pre", MOBILE, "toolName", "Edit", "toolInput", new JsonObject().put("file_path", "App.kt")),
          event("tool:post", MOBILE, "toolName", "Edit")});
    }
    rounds.add(new JsonObject[] {
        event("context:update", SHOP, "percent", 41.5, "tokens", 83_000, "windowSize", 200_000, "costUsd", 1.84),
        event("subagent:start", SHOP, "agentId", "ag-explore", "agentType", "Explore", "description", "map the bundle"),
        event("subagent:start", SHOP, "agentId", "ag-review", "agentType", "code-reviewer",
            "description", "review diff"),
        event("tool:pre", SHOP, "agentId", "ag-explore", "toolName", "Glob"),
        event("tool:pre", SHOP, "agentId", "ag-review", "toolName", "Read"),
        event("tool:pre", SHOP, "toolName", "Task"),
        event("context:update", API, "percent", 63, "tokens", 126_000, "windowSize", 200_000, "costUsd", 0.92),
        event("permission:request", API, "toolName", "Bash", "toolInput",
            new JsonObject().put("command", "kubectl rollout restart deploy/payments")),
        event("context:update", DOCS, "percent", 18, "tokens", 36_000, "windowSize", 200_000),
        event("turn:stop", DOCS, "lastMessage", "Updated the install guide and fixed 3 broken links."),
        event("context:update", INFRA, "percent", 27, "tokens", 54_000, "windowSize", 200_000),
        event("tool:pre", INFRA, "toolName", "Bash", "toolInput", new JsonObject().put("command", "terraform plan")),
        event("context:update", MOBILE, "percent", 9, "tokens", 18_000, "windowSize", 200_000),
        event("prompt:submit", MOBILE, "prompt", "Add dark mode to the settings screen"),
        event("tool:pre", DATA, "toolName", "Bash", "toolInput", new JsonObject().put("command", "pytest -x")),
        event("tool:failure", DATA, "toolName", "Bash", "error", "exit code 1"),
        event("tool:pre", DATA, "toolName", "Edit", "toolInput", new JsonObject().put("file_path", "etl/parse.py"))});
    return rounds;
  }

  private static JsonObject start(String id, String cwd, String model) {
    return event("session:start", id, "cwd", cwd, "model", model, "source", "startup");
  }
}
