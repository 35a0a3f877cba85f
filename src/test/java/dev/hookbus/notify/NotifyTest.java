package dev.hookbus.notify;

import ch.qos.logback.classic.Level;
import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.config.ConfigException;
import dev.hookbus.support.CapturedLog;
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
import java.util.concurrent.ConcurrentHashMap;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Notifications out against a local server that records what it gets: each format's exact body, retries after a 500
 * and after a timeout, one notification per wait, none for a wait that ended before {@code afterMs}.
 */
class NotifyTest {
  private Vertx vertx;
  private RecordingWebhook webhook;
  private TestServer server;
  private final Map<Long, JsonObject> envelopes = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    webhook = RecordingWebhook.start(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> envelopes.put(m.body().getLong("seq"), m.body()));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private void startHookbus(JsonObject... webhooks) {
    server = TestServer.start(vertx, new JsonObject().put("notify", new JsonObject()
        .put("retryDelayMs", 20).put("timeoutMs", 300).put("webhooks", new JsonArray(List.of((Object[]) webhooks)))));
  }

  private JsonObject json(long afterMs) {
    return new JsonObject().put("url", webhook.url("/hook")).put("format", "json").put("afterMs", afterMs);
  }

  private String dashboard() {
    return "http://127.0.0.1:" + server.bridgePort() + "/";
  }

  private long post(String type, String sessionId, JsonObject fields) {
    return server.postEvent(type, fields.copy().put("sessionId", sessionId));
  }

  private long permissionRequest(String sessionId, String command) {
    return post("permission:request", sessionId, new JsonObject().put("toolName", "Bash")
        .put("toolInput", new JsonObject().put("command", command)).put("cwd", "/home/dev/shop"));
  }

  /** As published: through JSON text, so numbers compare by value whatever their Java type. */
  private JsonObject envelope(long seq) {
    return new JsonObject(envelopes.get(seq).encode());
  }

  @Test
  @DisplayName("json: after afterMs of waiting, one POST with the envelope and a summary")
  void jsonAfterTheWait() {
    startHookbus(json(200));
    long seq = permissionRequest("s-json", "npm test");

    RecordingWebhook.Received got = result(webhook.await(1)).get(0);

    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.path()).isEqualTo("/hook");
    assertThat(got.headers().get("content-type")).isEqualTo("application/json");
    long waited = got.body().getLong("waitedMs");
    assertThat(waited).isGreaterThanOrEqualTo(200);
    assertThat(got.body()).isEqualTo(new JsonObject()
        .put("event", "waiting")
        .put("title", "Waiting for permission · shop")
        .put("summary", "Bash: npm test (waiting " + Texts.duration(waited) + ")")
        .put("priority", 4)
        .put("sessionId", "s-json")
        .put("agentId", null)
        .put("dashboardUrl", dashboard())
        .put("waitedMs", waited)
        .put("envelope", envelope(seq)));
  }

  @Test
  @DisplayName("a PermissionRequest posted as Claude Code posts it is a wait like any other")
  void claudeCodePermissionRequest() {
    startHookbus(json(100));
    JsonObject hook = new JsonObject().put("hook_event_name", "PermissionRequest").put("session_id", "s-claude")
        .put("cwd", "/work/api").put("tool_name", "Edit")
        .put("tool_input", new JsonObject().put("file_path", "/work/api/Main.java").put("old_string", "a"))
        .put("permission_suggestions", new JsonArray());
    assertThat(result(server.post("/api/hooks/claude", hook)).statusCode()).isEqualTo(200);

    JsonObject body = result(webhook.await(1)).get(0).body();

    assertThat(body.getString("title")).isEqualTo("Waiting for permission · api");
    assertThat(body.getString("summary")).startsWith("Edit: /work/api/Main.java (waiting ");
    assertThat(body.getJsonObject("envelope").getString("type")).isEqualTo("permission:request");
  }

  @Test
  @DisplayName("ntfy: a pending approval gets Allow / Deny buttons that call the decide route with the token")
  void ntfyApprovalButtons() {
    startHookbus(new JsonObject().put("url", webhook.url("/hookbus-topic")).put("format", "ntfy").put("afterMs", 200)
        .put("token", "decide-secret"));
    post("permission:request", "s-ntfy", new JsonObject().put("toolName", "Bash"));
    JsonObject pending = new JsonObject().put("type", "approval:pending").put("seq", 7).put("payload", new JsonObject()
        .put("id", "ap-1").put("sessionId", "s-ntfy").put("agentId", null).put("toolName", "Bash")
        .put("toolInput", new JsonObject().put("command", "rm -rf build")));
    vertx.eventBus().publish(Addresses.APPROVALS, pending);

    RecordingWebhook.Received got = result(webhook.await(1)).get(0);

    assertThat(got.path()).as("ntfy's JSON publishing goes to the server's root").isEqualTo("/");
    String decideUrl = "http://127.0.0.1:" + server.ingestPort() + "/api/approvals/ap-1";
    JsonObject headers = new JsonObject().put("Authorization", "Bearer decide-secret")
        .put("Content-Type", "application/json");
    assertThat(got.body().getString("message")).startsWith("Bash: rm -rf build (waiting ");
    assertThat(got.body()).isEqualTo(new JsonObject()
        .put("topic", "hookbus-topic")
        .put("title", "Allow Bash? · session s-ntfy")
        .put("message", got.body().getString("message"))
        .put("priority", 4)
        .put("click", dashboard())
        .put("actions", new JsonArray()
            .add(new JsonObject().put("action", "http").put("label", "Allow").put("url", decideUrl)
                .put("method", "POST").put("headers", headers).put("body", "{\"behavior\":\"allow\"}")
                .put("clear", true))
            .add(new JsonObject().put("action", "http").put("label", "Deny").put("url", decideUrl)
                .put("method", "POST").put("headers", headers)
                .put("body", "{\"behavior\":\"deny\",\"message\":\"Denied from a phone notification\"}")
                .put("clear", true))));

    vertx.eventBus().publish(Addresses.APPROVALS, new JsonObject().put("type", "approval:decided").put("seq", 8)
        .put("payload", new JsonObject().put("id", "ap-1").put("sessionId", "s-ntfy").put("toolName", "Bash")
            .put("decision", new JsonObject().put("behavior", "allow")).put("decidedBy", "phone")));
    assertThat(result(webhook.await(2)).get(1).body()).isEqualTo(new JsonObject()
        .put("topic", "hookbus-topic")
        .put("title", "Allowed Bash · session s-ntfy")
        .put("message", "by phone")
        .put("priority", 2)
        .put("click", dashboard()));
  }

  @Test
  @DisplayName("an ntfy webhook with a decide token counts as a decider, so ingest holds PermissionRequests for it")
  void ntfyWithATokenIsADecider() {
    List<JsonObject> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.Promise<Void> counted = io.vertx.core.Promise.promise();
    io.vertx.core.Promise<Void> uncounted = io.vertx.core.Promise.promise();
    // The bridge tells its own count (no dashboard here: 0) on the same address; only the notifier's is watched.
    vertx.eventBus().<JsonObject>consumer(Addresses.APPROVAL_DECIDERS, m -> {
      if (!m.body().getString("node").startsWith("notify-")) {
        return;
      }
      told.add(m.body());
      (m.body().getInteger("deciders") == 1 ? counted : uncounted).tryComplete();
    });
    startHookbus(new JsonObject().put("url", webhook.url("/t")).put("format", "ntfy").put("token", "decide-secret"),
        json(100));
    result(counted.future());
    server.stop();
    result(uncounted.future());
    assertThat(told).extracting(t -> t.getString("node")).containsOnly(told.get(0).getString("node"));
  }

  @Test
  @DisplayName("ntfy: a wait without a pending approval has no buttons, even with a token")
  void ntfyWaitWithoutApproval() {
    startHookbus(new JsonObject().put("url", webhook.url("/t")).put("format", "ntfy").put("afterMs", 100)
        .put("token", "decide-secret").put("authorization", "Bearer tk_ntfy"));
    permissionRequest("s-plain", "ls");

    RecordingWebhook.Received got = result(webhook.await(1)).get(0);

    assertThat(got.headers().get("authorization")).isEqualTo("Bearer tk_ntfy");
    assertThat(got.body().fieldNames()).containsExactlyInAnyOrder("topic", "title", "message", "priority", "click");
    assertThat(got.body().getString("title")).isEqualTo("Waiting for permission · shop");
  }

  @Test
  @DisplayName("slack: a StopFailure, a streak of tool failures and a full context are sent at once")
  void slackErrorsAndContext() {
    startHookbus(new JsonObject().put("url", webhook.url("/services/T/B/x")).put("format", "slack")
        .put("afterMs", 600_000));
    post("turn:stop", "s-slack", new JsonObject().put("failed", true).put("error", "rate_limit <429>"));
    for (int i = 0; i < 3; i++) {
      post("tool:failure", "s-slack", new JsonObject().put("toolName", "Bash").put("error", "exit 1"));
    }
    post("context:update", "s-slack", new JsonObject().put("percent", 93));

    List<RecordingWebhook.Received> got = result(webhook.await(3));

    String title = "Stopped on an error · session s-slack";
    String message = "The turn ended on an API error: rate_limit &lt;429&gt;";
    assertThat(got.get(0).body()).isEqualTo(new JsonObject()
        .put("text", title + ": " + message)
        .put("blocks", new JsonArray()
            .add(new JsonObject().put("type", "section").put("text", new JsonObject().put("type", "mrkdwn")
                .put("text", "*" + title + "*\n" + message)))
            .add(new JsonObject().put("type", "context").put("elements", new JsonArray()
                .add(new JsonObject().put("type", "mrkdwn")
                    .put("text", "<" + dashboard() + "|Open the dashboard> · session `s-slack`"))))));
    assertThat(got.get(1).body().getString("text"))
        .isEqualTo("3 tool calls failed in a row · session s-slack: Bash failed: exit 1");
    assertThat(got.get(2).body().getString("text")).startsWith("Context 93 % full · session s-slack: ");
  }

  @Test
  @DisplayName("a 500 is retried: the same body again, counted in /metrics, logged once")
  void retriesAfterA500() {
    webhook.answer(500);
    try (CapturedLog log = CapturedLog.start()) {
      startHookbus(json(600_000));
      post("turn:stop", "s-retry", new JsonObject().put("failed", true).put("error", "overloaded"));

      List<RecordingWebhook.Received> got = result(webhook.await(2));

      assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
      assertThat(log.problems()).containsExactly("WARN WebhookSender - notify.webhooks[0] (json to 127.0.0.1): POST"
          + " failed (HTTP 500), retrying; further failures are counted in hookbus_notify_failures until one"
          + " succeeds");
      String metrics = result(server.eventually(() -> server.http().get(server.ingestPort(), "127.0.0.1", "/metrics")
          .send().map(r -> r.bodyAsString()),
          text -> text.contains("hookbus_notify_sent_total{format=\"json\",webhook=\"0\"} 1.0")));
      assertThat(metrics).contains("hookbus_notify_failures_total{format=\"json\",webhook=\"0\"} 1.0");
      assertThat(log.lines(Level.INFO))
          .anyMatch(line -> line.contains("notify.webhooks[0] (json to 127.0.0.1): delivers again"));
    }
  }

  @Test
  @DisplayName("a webhook that does not answer within timeoutMs is tried again")
  void retriesAfterATimeout() {
    webhook.answer(RecordingWebhook.NO_ANSWER);
    try (CapturedLog log = CapturedLog.start()) {
      startHookbus(json(600_000));
      post("turn:stop", "s-slow", new JsonObject().put("failed", true).put("error", "overloaded"));

      List<RecordingWebhook.Received> got = result(webhook.await(2));

      assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
      assertThat(log.problems()).singleElement().asString().contains("POST failed (").contains("300")
          .contains("retrying");
    }
  }

  @Test
  @DisplayName("one POST per wait: the permission_prompt notification that trails the request is the same wait")
  void oncePerWait() {
    startHookbus(json(200));
    permissionRequest("s-dup", "make");
    post("notification", "s-dup", new JsonObject().put("notificationType", "permission_prompt")
        .put("message", "Claude needs your permission to use Bash"));
    result(webhook.await(1));
    post("tool:post", "s-dup", new JsonObject().put("toolName", "Bash"));
    post("context:update", "s-dup", new JsonObject().put("percent", 95));

    List<RecordingWebhook.Received> got = result(webhook.await(2));

    assertThat(got).extracting(r -> r.body().getString("event")).containsExactly("waiting", "context");
  }

  @Test
  @DisplayName("a wait that ends before afterMs sends nothing; the next wait still does")
  void nothingWhenTheWaitEndsEarly() {
    startHookbus(json(300));
    permissionRequest("s-early", "make");
    post("tool:post", "s-early", new JsonObject().put("toolName", "Bash"));
    permissionRequest("s-late", "make");

    List<RecordingWebhook.Received> got = result(webhook.await(1));

    // The early wait's timer would have fired first: its deadline came before the late one's.
    assertThat(got).singleElement().extracting(r -> r.body().getString("sessionId")).isEqualTo("s-late");
  }

  @Test
  @DisplayName("input (waiting for the next prompt) goes only to webhooks that list it")
  void inputOnlyWhenAskedFor() {
    startHookbus(json(100).put("url", webhook.url("/all-but-input")),
        json(100).put("url", webhook.url("/input")).put("events", new JsonArray().add("input")));
    post("notification", "s-idle", new JsonObject().put("notificationType", "idle_prompt")
        .put("message", "Claude is waiting for your input"));
    result(webhook.await(1));
    post("context:update", "s-idle", new JsonObject().put("percent", 91));

    List<RecordingWebhook.Received> got = result(webhook.await(2));

    assertThat(got).extracting(r -> r.path() + " " + r.body().getString("event"))
        .containsExactly("/input input", "/all-but-input context");
    assertThat(got.get(0).body().getString("title")).isEqualTo("Waiting for your next prompt · session s-idle");
  }

  @Test
  @DisplayName("an approval that expired leaves a plain wait: the terminal still asks, no buttons")
  void expiredApprovalFallsBackToWaiting() {
    startHookbus(new JsonObject().put("url", webhook.url("/t")).put("format", "ntfy").put("afterMs", 200)
        .put("token", "decide-secret"));
    permissionRequest("s-exp", "make deploy");
    vertx.eventBus().publish(Addresses.APPROVALS, approval("approval:pending", "ap-exp", "s-exp"));
    vertx.eventBus().publish(Addresses.APPROVALS, approval("approval:expired", "ap-exp", "s-exp"));

    RecordingWebhook.Received got = result(webhook.await(1)).get(0);

    assertThat(got.body().getString("title")).isEqualTo("Waiting for permission · shop");
    assertThat(got.body().containsKey("actions")).isFalse();
  }

  @Test
  @DisplayName("an approval decided before afterMs sends the decision, not the wait")
  void decidedBeforeAfterMs() {
    startHookbus(json(300));
    permissionRequest("s-quick", "make");
    vertx.eventBus().publish(Addresses.APPROVALS, approval("approval:pending", "ap-q", "s-quick"));
    vertx.eventBus().publish(Addresses.APPROVALS, approval("approval:decided", "ap-q", "s-quick")
        .put("decision", new JsonObject().put("behavior", "deny").put("message", "not now"))
        .put("decidedBy", "local"));
    permissionRequest("s-next", "make");

    List<RecordingWebhook.Received> got = result(webhook.await(2));

    assertThat(got).extracting(r -> r.body().getString("event") + " " + r.body().getString("sessionId"))
        .containsExactly("approval:decided s-quick", "waiting s-next");
    assertThat(got.get(0).body().getString("title")).isEqualTo("Denied Bash · shop");
    assertThat(got.get(0).body().getString("summary")).isEqualTo("by local: not now");
    assertThat(got.get(0).body().getString("decideUrl")).endsWith("/api/approvals/ap-q");
  }

  /** An approval envelope as the approvals actor publishes it, fields at the top level (the other shape). */
  private static JsonObject approval(String type, String id, String sessionId) {
    return new JsonObject().put("type", type).put("seq", 1).put("id", id).put("sessionId", sessionId)
        .put("toolName", "Bash").put("toolInput", new JsonObject().put("command", "make"));
  }

  @Test
  @DisplayName("a bad webhook stops the start naming the key")
  void badWebhookConfig() {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("notify", new JsonObject().put("webhooks",
        new JsonArray().add(new JsonObject().put("url", "https://ntfy.sh/x").put("format", "email"))))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("notify.webhooks[].format must be one of");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("notify", new JsonObject().put("webhooks",
        new JsonArray().add(new JsonObject().put("url", "ftp://x").put("events", new JsonArray().add("waiting")))))))
        .isInstanceOf(ConfigException.class).hasMessage("notify.webhooks[].url must be an http:// or https:// URL, got"
            + " \"ftp://x\"");
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("notify", new JsonObject().put("webhooks",
        new JsonArray().add(new JsonObject().put("url", "https://x.example").put("events", new JsonArray()
            .add("everything")))))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("notify.webhooks[].events may hold");
  }
}
