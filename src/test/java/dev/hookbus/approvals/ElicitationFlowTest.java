package dev.hookbus.approvals;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Elicitations;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.PermissionRequests;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MCP server's question ({@code Elicitation} hook) posted as Claude Code 2.1.332 posts it, held like a
 * PermissionRequest and answered by a viewer on the official client's protocol (SockJS websocket) or over REST.
 */
class ElicitationFlowTest {
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private TestServer server;

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private Future<HttpResponse<Buffer>> hook(JsonObject body) {
    return server.post("/api/hooks/claude", body);
  }

  private BridgeClient viewer() {
    BridgeClient client = result(SockJsWebSocketBridgeClient.connect(vertx, server.bridgePort(), ""));
    result(client.register(Addresses.APPROVALS));
    // Asked without blocking: a blocking call on this Vert.x's event loop could starve the SockJS client it waits for.
    result(Eventually.until(vertx, () -> server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == 1, SETTLE));
    return client;
  }

  private static JsonObject awaitType(BridgeClient viewer, String type, int nth) {
    List<JsonObject> seen = result(viewer.await(Addresses.APPROVALS, bodies -> bodies.stream()
        .filter(b -> b.getString("type").equals(type)).count() >= nth));
    return seen.stream().filter(b -> b.getString("type").equals(type)).skip(nth - 1).findFirst().orElseThrow()
        .getJsonObject("payload");
  }

  private static JsonObject decide(BridgeClient viewer, JsonObject decision) {
    return result(viewer.request(Addresses.APPROVALS_DECIDE, decision));
  }

  private HttpResponse<Buffer> decideOverRest(String id, JsonObject decision) {
    return result(server.http().post(server.ingestPort(), "127.0.0.1", "/api/approvals/" + id)
        .sendJsonObject(decision));
  }

  @Test
  @DisplayName("held and seen pending with its server, message and schema; accepted with content over the bridge:"
      + " the hook's reply is exactly the Elicitation answer, the session no longer waits, the audit has it")
  void heldThenAccepted() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("s-ask"));
    JsonObject approval = awaitType(viewer, "approval:pending", 1);
    assertThat(approval.getString("kind")).isEqualTo("elicitation");
    assertThat(approval.getString("server")).isEqualTo(Elicitations.SERVER);
    assertThat(approval.getString("message")).isEqualTo("Which release should go out?");
    assertThat(approval.getString("mode")).isEqualTo("form");
    assertThat(approval.getJsonObject("requestedSchema")).isEqualTo(Elicitations.schema());
    assertThat(approval.getLong("expiresAt") - approval.getLong("requestedAt")).isEqualTo(120_000);
    JsonObject waiting = server.sync();
    assertThat(waiting.getJsonArray("approvals").getJsonObject(0).getString("kind")).isEqualTo("elicitation");
    assertThat(waiting.getJsonArray("sessions").getJsonObject(0).getString("status")).isEqualTo("waiting");
    assertThat(held.isComplete()).as("the hook is held until someone answers").isFalse();

    JsonObject content = new JsonObject().put("name", "v1.4").put("replicas", 3).put("ratio", 0.5)
        .put("confirm", true).put("region", "eu");
    JsonObject reply = decide(viewer, new JsonObject().put("id", approval.getString("id")).put("action", "accept")
        .put("content", content));
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
    assertThat(result(held).bodyAsJsonObject()).isEqualTo(new JsonObject("{\"hookSpecificOutput\":{\"hookEventName\":"
        + "\"Elicitation\",\"action\":\"accept\",\"content\":{\"name\":\"v1.4\",\"replicas\":3,\"ratio\":0.5,"
        + "\"confirm\":true,\"region\":\"eu\"}}}"));
    JsonObject decided = awaitType(viewer, "approval:decided", 1);
    assertThat(decided.getString("decidedBy")).isEqualTo("local");
    assertThat(decided.getJsonObject("decision")).isEqualTo(new JsonObject().put("action", "accept")
        .put("content", content));
    JsonObject after = server.sync();
    assertThat(after.getJsonArray("approvals")).isEmpty();
    assertThat(after.getJsonArray("sessions").getJsonObject(0).getString("status")).isEqualTo("active");
    JsonObject audit = server.get("/api/approvals?since=0").bodyAsJsonObject().getJsonArray("approvals")
        .getJsonObject(0);
    assertThat(audit.getString("kind")).isEqualTo("elicitation");
    assertThat(audit.getJsonObject("decision").getString("action")).isEqualTo("accept");
  }

  @Test
  @DisplayName("decline and cancel over POST /api/approvals/<id>: the reply carries the action alone; a url-mode"
      + " elicitation is pending with its URL")
  void declineAndCancelOverRest() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> first = hook(Elicitations.url("s-url"));
    JsonObject asked = awaitType(viewer, "approval:pending", 1);
    assertThat(asked.getString("mode")).isEqualTo("url");
    assertThat(asked.getString("url")).isEqualTo("https://deploy.example/login?e=1");
    assertThat(asked.getString("elicitationId")).isEqualTo("el-42");
    HttpResponse<Buffer> declined = decideOverRest(asked.getString("id"), new JsonObject().put("action", "decline"));
    assertThat(declined.statusCode()).as(declined.bodyAsString()).isEqualTo(200);
    assertThat(result(first).bodyAsJsonObject()).isEqualTo(new JsonObject(
        "{\"hookSpecificOutput\":{\"hookEventName\":\"Elicitation\",\"action\":\"decline\"}}"));

    Future<HttpResponse<Buffer>> second = hook(Elicitations.form("s-cancel"));
    String id = awaitType(viewer, "approval:pending", 2).getString("id");
    assertThat(decideOverRest(id, new JsonObject().put("action", "cancel")).statusCode()).isEqualTo(200);
    assertThat(result(second).bodyAsJsonObject()).isEqualTo(new JsonObject(
        "{\"hookSpecificOutput\":{\"hookEventName\":\"Elicitation\",\"action\":\"cancel\"}}"));
  }

  @Test
  @DisplayName("content that does not fit the schema is refused with INVALID_REQUEST naming the field (type, enum,"
      + " required, unknown, content on a decline), and so is a permission decision; the hook still waits")
  void badAnswersRefused() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("s-bad"));
    String id = awaitType(viewer, "approval:pending", 1).getString("id");
    JsonObject good = new JsonObject().put("name", "v2").put("confirm", true);
    List<List<Object>> cases = List.of(
        List.of(new JsonObject().put("action", "accept").put("content", good.copy().put("replicas", "three")),
            "content.replicas must be an integer"),
        List.of(new JsonObject().put("action", "accept").put("content", good.copy().put("replicas", 2.5)),
            "content.replicas must be an integer"),
        List.of(new JsonObject().put("action", "accept").put("content", good.copy().put("confirm", "yes")),
            "content.confirm must be a boolean"),
        List.of(new JsonObject().put("action", "accept").put("content", good.copy().put("region", "mars")),
            "content.region must be one of [\"eu\",\"us\"]"),
        List.of(new JsonObject().put("action", "accept").put("content", new JsonObject().put("name", "v2")),
            "content.confirm is required"),
        List.of(new JsonObject().put("action", "accept").put("content", good.copy().put("colour", "red")),
            "content.colour is not asked for"),
        List.of(new JsonObject().put("action", "accept").put("content", "v2"), "content must be an object"),
        List.of(new JsonObject().put("action", "decline").put("content", good), "content goes only with \"accept\""),
        List.of(new JsonObject().put("action", "maybe"), "action must be"),
        List.of(new JsonObject().put("behavior", "allow"), "this approval is an elicitation"));
    for (List<Object> c : cases) {
      HttpResponse<Buffer> refused = decideOverRest(id, (JsonObject) c.get(0));
      assertThat(refused.statusCode()).as(c.get(0) + " → " + refused.bodyAsString()).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("INVALID_REQUEST");
      assertThat(refused.bodyAsJsonObject().getString("error")).contains((String) c.get(1));
    }
    JsonObject overBridge = decide(viewer, new JsonObject().put("id", id).put("action", "accept")
        .put("content", new JsonObject().put("confirm", true)));
    assertThat(overBridge.getString("type")).isEqualTo("err");
    assertThat(overBridge.getString("message")).contains("content.name is required");
    assertThat(held.isComplete()).as("a refused answer decides nothing").isFalse();

    Future<HttpResponse<Buffer>> permission = hook(PermissionRequests.bash("s-perm"));
    String permissionId = awaitType(viewer, "approval:pending", 2).getString("id");
    assertThat(awaitType(viewer, "approval:pending", 2).getString("kind")).isEqualTo("permission");
    HttpResponse<Buffer> wrongKind = decideOverRest(permissionId, new JsonObject().put("action", "accept"));
    assertThat(wrongKind.statusCode()).isEqualTo(400);
    assertThat(wrongKind.bodyAsJsonObject().getString("error")).contains("this approval is a permission request");
    assertThat(decideOverRest(id, new JsonObject().put("action", "accept").put("content", good)).statusCode())
        .isEqualTo(200);
    assertThat(result(held).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("content"))
        .isEqualTo(good);
    assertThat(decideOverRest(permissionId, new JsonObject().put("behavior", "deny").put("interrupt", true))
        .statusCode()).isEqualTo(200);
    assertThat(result(permission).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision"))
        .as("a deny may stop the session").isEqualTo(new JsonObject().put("behavior", "deny")
            .put("message", "Denied in hookbus by local").put("interrupt", true));
  }

  @Test
  @DisplayName("nobody answers within approvals.holdMs: the hook gets {} (Claude Code's own prompt decides), the"
      + " approval expires, a late answer is told EXPIRED")
  void expiry() {
    server = TestServer.start(vertx, new JsonObject().put("approvals", new JsonObject().put("holdMs", 300)));
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("s-late"));
    String id = awaitType(viewer, "approval:pending", 1).getString("id");
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
    assertThat(awaitType(viewer, "approval:expired", 1).getString("id")).isEqualTo(id);
    assertThat(decideOverRest(id, new JsonObject().put("action", "cancel")).statusCode()).isEqualTo(410);
  }

  @Test
  @DisplayName("answered in the terminal: the ElicitationResult supersedes the pending one and the held hook gets {}")
  void answeredElsewhere() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("s-term"));
    String id = awaitType(viewer, "approval:pending", 1).getString("id");
    result(hook(new JsonObject().put("session_id", "s-term").put("hook_event_name", "ElicitationResult")
        .put("mcp_server_name", Elicitations.SERVER).put("action", "decline")));
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
    assertThat(awaitType(viewer, "approval:superseded", 1).getString("id")).isEqualTo(id);
    assertThat(server.sync().getJsonArray("approvals")).isEmpty();
  }

  @Test
  @DisplayName("a tool running in parallel (its PreToolUse, PostToolUse) leaves the question pending; the end of"
      + " the asking MCP server's own tool supersedes it")
  void parallelToolsLeaveItPending() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer();
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("s-par"));
    String id = awaitType(viewer, "approval:pending", 1).getString("id");
    JsonObject bash = new JsonObject().put("session_id", "s-par").put("tool_name", "Bash")
        .put("tool_input", new JsonObject().put("command", "make"));
    result(hook(bash.copy().put("hook_event_name", "PreToolUse")));
    result(hook(bash.copy().put("hook_event_name", "PostToolUse").put("tool_response", new JsonObject())));
    assertThat(server.sync().getJsonArray("approvals")).extracting(a -> ((JsonObject) a).getString("id"))
        .containsExactly(id);
    assertThat(held.isComplete()).isFalse();
    result(hook(new JsonObject().put("session_id", "s-par").put("hook_event_name", "PostToolUse")
        .put("tool_name", "mcp__" + Elicitations.SERVER + "__ask_release").put("tool_input", new JsonObject())
        .put("tool_response", new JsonObject())));
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
    assertThat(awaitType(viewer, "approval:superseded", 1).getString("id")).isEqualTo(id);
  }

  @Test
  @DisplayName("with no viewer who may decide, an Elicitation is answered {} at once and nothing pends")
  void noViewer() {
    server = TestServer.start(vertx);
    assertThat(result(hook(Elicitations.form("s-alone"))).bodyAsJsonObject()).isEmpty();
    assertThat(server.sync().getJsonArray("approvals")).isEmpty();
  }
}
