package dev.hookbus.approvals;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.PermissionRequests;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import dev.hookbus.support.XhrStreamingBridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pending approvals from outside: a PermissionRequest posted as Claude Code posts it, a viewer on the SockJS
 * WebSocket transport (the official client's protocol) who sees it pending and decides, the held hook's reply.
 */
class ApprovalFlowTest {
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private TestServer server;

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  static JsonObject permissionRequest(String sessionId) {
    return PermissionRequests.bash(sessionId);
  }

  private Future<HttpResponse<Buffer>> hook(JsonObject body) {
    return server.post("/api/hooks/claude", body);
  }

  private BridgeClient viewer(String query) {
    BridgeClient client = result(SockJsWebSocketBridgeClient.connect(vertx, server.bridgePort(), query));
    result(client.register(Addresses.APPROVALS));
    return client;
  }

  /** Ingest learns of connected deciders from the bridge; wait until it knows of {@code count}. */
  private void awaitDeciders(int count) {
    result(Eventually.until(vertx, () -> server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals")
        .putHeader("Authorization", "Bearer hook-secret").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == count, SETTLE));
  }

  private static JsonObject pending(BridgeClient viewer, int nth) {
    List<JsonObject> seen = result(viewer.await(Addresses.APPROVALS, bodies -> bodies.stream()
        .filter(b -> b.getString("type").equals("approval:pending")).count() >= nth));
    return seen.stream().filter(b -> b.getString("type").equals("approval:pending")).skip(nth - 1).findFirst()
        .orElseThrow().getJsonObject("payload");
  }

  private static JsonObject awaitType(BridgeClient viewer, String type) {
    return result(viewer.await(Addresses.APPROVALS, bodies -> bodies.stream()
        .anyMatch(b -> b.getString("type").equals(type)))).stream()
        .filter(b -> b.getString("type").equals(type)).findFirst().orElseThrow().getJsonObject("payload");
  }

  private HttpResponse<Buffer> decideOverRest(String id, String token, JsonObject decision) {
    var request = server.http().post(server.ingestPort(), "127.0.0.1", "/api/approvals/" + id);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return result(request.sendJsonObject(decision));
  }

  @Test
  @DisplayName("held, seen pending by a viewer, allowed through the bridge: the hook's reply is exactly the decision,"
      + " a second decision gets ALREADY_DECIDED, and the session is no longer waiting")
  void heldThenAllowed() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer("");
    awaitDeciders(1);

    Future<HttpResponse<Buffer>> held = hook(permissionRequest("s-allow"));
    JsonObject approval = pending(viewer, 1);
    assertThat(approval.getString("id")).hasSize(32).matches("[0-9a-f]+");
    assertThat(approval.getString("sessionId")).isEqualTo("s-allow");
    assertThat(approval.getString("toolName")).isEqualTo("Bash");
    assertThat(approval.getJsonObject("toolInput").getString("command")).isEqualTo("rm -rf build");
    assertThat(approval.getJsonArray("suggestions")).hasSize(1);
    assertThat(approval.getString("status")).isEqualTo("pending");
    assertThat(approval.getLong("expiresAt") - approval.getLong("requestedAt")).isEqualTo(120_000);
    assertThat(server.sync().getJsonArray("approvals")).hasSize(1);
    assertThat(held.isComplete()).as("the hook is held until someone decides").isFalse();

    JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject().put("id",
        approval.getString("id")).put("behavior", "allow").put("decidedBy", "someone else")
        .put("updatedInput", new JsonObject().put("command", "rm -rf build/tmp"))));
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getJsonObject("body").getBoolean("ok")).isTrue();

    HttpResponse<Buffer> answered = result(held);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.bodyAsJsonObject()).isEqualTo(new JsonObject("{\"hookSpecificOutput\":{\"hookEventName\":"
        + "\"PermissionRequest\",\"decision\":{\"behavior\":\"allow\",\"updatedInput\":{\"command\":\"rm -rf build/tmp\"}}}}"));
    JsonObject decided = awaitType(viewer, "approval:decided");
    assertThat(decided.getString("decidedBy")).as("the bridge stamps who decided").isEqualTo("local");
    assertThat(decided.getString("status")).isEqualTo("decided");

    JsonObject again = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject().put("id",
        approval.getString("id")).put("behavior", "deny")));
    assertThat(again.getString("type")).isEqualTo("err");
    assertThat(again.getInteger("failureCode")).isEqualTo(17);
    assertThat(again.getString("message")).contains("decided by local");

    JsonObject snapshot = server.sync();
    assertThat(snapshot.getJsonArray("approvals")).isEmpty();
    assertThat(snapshot.getJsonArray("sessions").getJsonObject(0).getString("status")).isEqualTo("active");
  }

  @Test
  @DisplayName("deny with a message over POST /api/approvals/<id>: the hook gets the deny decision with it, and the"
      + " audit lists who decided what")
  void denyWithMessageOverRest() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer("");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(permissionRequest("s-deny"));
    String id = pending(viewer, 1).getString("id");
    assertThat(server.get("/api/approvals").bodyAsJsonObject().getJsonArray("approvals").getJsonObject(0)
        .getString("id")).isEqualTo(id);

    HttpResponse<Buffer> decided = decideOverRest(id, null, new JsonObject().put("behavior", "deny")
        .put("message", "not on the main branch"));
    assertThat(decided.statusCode()).as(decided.bodyAsString()).isEqualTo(200);
    assertThat(result(held).bodyAsJsonObject()).isEqualTo(new JsonObject("{\"hookSpecificOutput\":{\"hookEventName\":"
        + "\"PermissionRequest\",\"decision\":{\"behavior\":\"deny\",\"message\":\"not on the main branch\","
        + "\"interrupt\":false}}}"));

    JsonObject audit = server.get("/api/approvals?since=0").bodyAsJsonObject();
    assertThat(audit.getJsonArray("approvals")).hasSize(1);
    JsonObject entry = audit.getJsonArray("approvals").getJsonObject(0);
    assertThat(entry.getString("id")).isEqualTo(id);
    assertThat(entry.getString("decidedBy")).isEqualTo("local");
    assertThat(entry.getJsonObject("decision").getString("message")).isEqualTo("not on the main branch");
    assertThat(entry.getLong("decidedAt")).isPositive();
    assertThat(server.get("/api/approvals?since=" + (entry.getLong("decidedAt") + 1)).bodyAsJsonObject()
        .getJsonArray("approvals")).isEmpty();

    assertThat(decideOverRest(id, null, new JsonObject().put("behavior", "allow")).bodyAsJsonObject()
        .getString("code")).isEqualTo("ALREADY_DECIDED");
    HttpResponse<Buffer> unknown = decideOverRest("0123", null, new JsonObject().put("behavior", "allow"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("code")).isEqualTo("UNKNOWN");
    HttpResponse<Buffer> bad = decideOverRest(id, null, new JsonObject().put("behavior", "maybe"));
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> fromPage = result(server.http().post(server.ingestPort(), "127.0.0.1", "/api/approvals/" + id)
        .putHeader("Origin", "http://127.0.0.1:" + server.bridgePort())
        .sendJsonObject(new JsonObject().put("behavior", "allow")));
    assertThat(fromPage.statusCode()).as("no web page decides on the ingest port").isEqualTo(403);
    assertThat(fromPage.bodyAsJsonObject().getString("code")).isEqualTo("FORBIDDEN_ORIGIN");
  }

  @Test
  @DisplayName("with tokens: a viewer token without the decide pattern is refused on the bridge and over REST, an"
      + " ingest token alone may not decide, and who decided is the token's name or fingerprint")
  void tokens() {
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("tokens", new JsonArray().add("hook-secret")))
        .put("bridge", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", "watch-only").put("addresses", new JsonArray()
                .add(Addresses.EVENTS).add(Addresses.SYNC).add(Addresses.APPROVALS)))
            .add(new JsonObject().put("name", "phone").put("token", "phone-secret")
                .put("addresses", new JsonArray().add("hookbus.*")))
            .add(new JsonObject().put("token", "nameless-secret")
                .put("addresses", new JsonArray().add(Addresses.APPROVALS).add(Addresses.APPROVALS_DECIDE))))));
    BridgeClient watcher = viewer("?token=watch-only");
    awaitDeciders(0);
    HttpResponse<Buffer> notHeld = result(server.http().post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .putHeader("Authorization", "Bearer hook-secret").sendJsonObject(permissionRequest("s-0")));
    assertThat(notHeld.bodyAsJsonObject()).as("a watcher who may not decide does not hold the hook").isEmpty();

    viewer("?token=phone-secret");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = server.http().post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .putHeader("Authorization", "Bearer hook-secret").sendJsonObject(permissionRequest("s-1"));
    String id = pending(watcher, 1).getString("id");

    JsonObject refused = result(watcher.request(Addresses.APPROVALS_DECIDE,
        new JsonObject().put("id", id).put("behavior", "allow")));
    assertThat(refused.getString("type")).isEqualTo("err");
    assertThat(refused.getInteger("failureCode")).isEqualTo(19);
    assertThat(refused.getString("message")).startsWith("FORBIDDEN");

    JsonObject allow = new JsonObject().put("behavior", "allow");
    HttpResponse<Buffer> watchToken = decideOverRest(id, "watch-only", allow);
    assertThat(watchToken.statusCode()).isEqualTo(403);
    assertThat(watchToken.bodyAsJsonObject().getString("code")).isEqualTo("FORBIDDEN");
    HttpResponse<Buffer> ingestToken = decideOverRest(id, "hook-secret", allow);
    assertThat(ingestToken.statusCode()).isEqualTo(403);
    assertThat(ingestToken.bodyAsJsonObject().getString("error")).contains("ingest token may not decide");
    assertThat(decideOverRest(id, null, allow).statusCode()).isEqualTo(401);
    assertThat(decideOverRest(id, "wrong", allow).statusCode()).isEqualTo(401);
    assertThat(held.isComplete()).isFalse();

    HttpResponse<Buffer> phone = decideOverRest(id, "phone-secret", allow);
    assertThat(phone.statusCode()).as(phone.bodyAsString()).isEqualTo(200);
    assertThat(phone.bodyAsJsonObject().getJsonObject("approval").getString("decidedBy")).isEqualTo("phone");
    assertThat(result(held).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision")
        .getString("behavior")).isEqualTo("allow");

    BridgeClient nameless = viewer("?token=nameless-secret");
    awaitDeciders(2);
    Future<HttpResponse<Buffer>> second = server.http().post(server.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .putHeader("Authorization", "Bearer hook-secret").sendJsonObject(permissionRequest("s-2"));
    String secondId = pending(nameless, 1).getString("id");
    JsonObject ok = result(nameless.request(Addresses.APPROVALS_DECIDE,
        new JsonObject().put("id", secondId).put("behavior", "deny")));
    assertThat(ok.getString("type")).as(ok.encode()).isEqualTo("rec");
    assertThat(ok.getJsonObject("body").getJsonObject("approval").getString("decidedBy"))
        .matches("token:[0-9a-f]{8}").doesNotContain("nameless");
    assertThat(result(second).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision")
        .getString("message")).isEqualTo("Denied in hookbus by " + ok.getJsonObject("body").getJsonObject("approval")
        .getString("decidedBy"));
  }

  @Test
  @DisplayName("nobody decides within approvals.holdMs: the hook gets {}, the approval expires, a late decision is"
      + " told EXPIRED")
  void expiry() {
    server = TestServer.start(vertx, new JsonObject().put("approvals", new JsonObject().put("holdMs", 300)));
    BridgeClient viewer = viewer("");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(permissionRequest("s-late"));
    String id = pending(viewer, 1).getString("id");
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
    assertThat(awaitType(viewer, "approval:expired").getString("id")).isEqualTo(id);
    HttpResponse<Buffer> late = decideOverRest(id, null, new JsonObject().put("behavior", "allow"));
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(late.bodyAsJsonObject().getString("code")).isEqualTo("EXPIRED");
  }

  @Test
  @DisplayName("answered elsewhere: the session's next tool event supersedes the approval, the held hook gets {},"
      + " a decision after it is ALREADY_DECIDED")
  void superseded() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer("");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(permissionRequest("s-term"));
    String id = pending(viewer, 1).getString("id");
    result(hook(new JsonObject().put("session_id", "s-term").put("hook_event_name", "PostToolUse")
        .put("tool_name", "Bash").put("tool_input", new JsonObject().put("command", "rm -rf build"))
        .put("tool_response", new JsonObject().put("stdout", ""))));
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
    assertThat(awaitType(viewer, "approval:superseded").getString("id")).isEqualTo(id);
    assertThat(server.sync().getJsonArray("approvals")).isEmpty();
    assertThat(decideOverRest(id, null, new JsonObject().put("behavior", "allow")).statusCode()).isEqualTo(409);

    Future<HttpResponse<Buffer>> next = hook(permissionRequest("s-term"));
    pending(viewer, 2);
    result(hook(new JsonObject().put("session_id", "s-term").put("hook_event_name", "Stop")));
    assertThat(result(next).bodyAsJsonObject()).as("Stop ends the turn: supersedes too").isEmpty();
  }

  @Test
  @DisplayName("no viewer who may decide is connected (a plain event subscriber is none): the PermissionRequest is"
      + " answered {} at once, nothing pends; approvals.enabled=false never holds")
  void noViewer() {
    server = TestServer.start(vertx);
    BridgeClient subscriber = result(SockJsWebSocketBridgeClient.connect(vertx, server.bridgePort(), ""));
    result(subscriber.register(Addresses.EVENTS));
    result(subscriber.request(Addresses.SYNC, new JsonObject()));
    assertThat(result(hook(permissionRequest("s-alone"))).bodyAsJsonObject())
        .as("a subscriber that does not listen on hookbus.approvals is no decider").isEmpty();
    assertThat(server.sync().getJsonArray("approvals")).isEmpty();
    result(vertx.close());

    Vertx other = Vertx.vertx();
    try {
      server = TestServer.start(other, new JsonObject().put("approvals", new JsonObject().put("enabled", false)));
      BridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(other, server.bridgePort(), ""));
      result(viewer.register(Addresses.APPROVALS));
      result(Eventually.until(other, () -> server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals").send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == 1, SETTLE));
      assertThat(result(server.post("/api/hooks/claude", permissionRequest("s-off"))).bodyAsJsonObject()).isEmpty();
      assertThat(server.sync().getJsonArray("approvals")).isEmpty();
      result(viewer.close());
    } finally {
      result(other.close());
    }
  }

  @Test
  @DisplayName("over SockJS xhr-streaming (vertx-web's bridge) too: the socket counts as a decider and its decision"
      + " is stamped with who decided, whatever the client wrote")
  void xhrTransport() {
    server = TestServer.start(vertx);
    BridgeClient viewer = result(XhrStreamingBridgeClient.connect(vertx, server.bridgePort()));
    result(viewer.register(Addresses.APPROVALS));
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(permissionRequest("s-xhr"));
    String id = pending(viewer, 1).getString("id");
    JsonObject reply = result(viewer.request(Addresses.APPROVALS_DECIDE, new JsonObject().put("id", id)
        .put("behavior", "deny").put("message", "no").put("decidedBy", "forged")));
    assertThat(reply.getJsonObject("body").getJsonObject("approval").getString("decidedBy")).isEqualTo("local");
    assertThat(result(held).bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision")
        .getString("message")).isEqualTo("no");
    result(viewer.close());
    awaitDeciders(0);
  }

  @Test
  @DisplayName("hookbus stopping answers a held hook {} at once: the terminal decides, the shutdown does not wait")
  void stoppingReleases() {
    server = TestServer.start(vertx);
    BridgeClient viewer = viewer("");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = WebClient.create(vertx).post(server.ingestPort(), "127.0.0.1",
        "/api/hooks/claude").sendJsonObject(permissionRequest("s-stop"));
    pending(viewer, 1);
    server.stop();
    assertThat(result(held).bodyAsJsonObject()).isEmpty();
  }

  @Test
  @DisplayName("clients cannot forge approvals: approval:* types and a payload approvalId are refused on /api/events")
  void noForgedApprovals() {
    server = TestServer.start(vertx);
    HttpResponse<Buffer> forged = server.postEvents("{\"type\":\"approval:decided\",\"payload\":{\"id\":\"x\"}}");
    assertThat(forged.statusCode()).isEqualTo(422);
    HttpResponse<Buffer> planted = server.postEvents("{\"type\":\"permission:request\",\"payload\":{\"sessionId\":\"s\","
        + "\"approvalId\":\"mine\",\"expiresAt\":99999999999999}}");
    assertThat(planted.statusCode()).isEqualTo(422);
    assertThat(server.sync().getJsonArray("approvals")).isEmpty();
  }
}
