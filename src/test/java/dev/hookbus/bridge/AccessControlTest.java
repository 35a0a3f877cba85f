package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.hookbus.support.Await.failure;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Tokens and origins, proven from the outside with real clients. */
class AccessControlTest {
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("tokens", new JsonArray().add("hook-secret")))
        .put("bridge", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", "viewer-a")
                .put("addresses", new JsonArray().add("hookbus.sessions.a*").add(Addresses.SYNC)))
            .add(new JsonObject().put("token", "viewer-all")
                .put("addresses", new JsonArray().add("hookbus.*"))))));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private RawWebSocketBridgeClient connect(String uri, String origin) {
    var options = RawWebSocketBridgeClient.options(server.bridgePort(), uri);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return result(RawWebSocketBridgeClient.connect(vertx, options));
  }

  private HttpResponse<Buffer> postWith(String authorization) {
    var request = server.http().post(server.ingestPort(), "127.0.0.1", "/api/events");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return result(request.sendJsonObject(new JsonObject().put("type", "session:start")
        .put("payload", new JsonObject().put("sessionId", "a1"))));
  }

  @Test
  @DisplayName("ingest needs the bearer token on every route but the health checks")
  void ingestTokens() {
    HttpResponse<Buffer> none = postWith(null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("code")).isEqualTo("UNAUTHORIZED");
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(postWith("Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(postWith("Basic aG9vaw==").statusCode()).isEqualTo(401);
    assertThat(postWith("Bearer hook-secret").statusCode()).isEqualTo(200);
    assertThat(result(server.http().get(server.ingestPort(), "127.0.0.1", "/api/sessions").send()).statusCode())
        .isEqualTo(401);
    for (String open : new String[] {"/health", "/health/live", "/health/ready"}) {
      assertThat(result(server.http().get(server.ingestPort(), "127.0.0.1", open).send()).statusCode())
          .as(open).isEqualTo(200);
    }
    HttpResponse<Buffer> preflight = result(server.http()
        .request(HttpMethod.OPTIONS, server.ingestPort(), "127.0.0.1", "/api/events")
        .putHeader("Origin", "http://localhost:" + server.bridgePort())
        .putHeader("Access-Control-Request-Method", "POST").send());
    assertThat(preflight.statusCode()).isBetween(200, 204);
  }

  @Test
  @DisplayName("a bridge socket without a valid token is closed at once; a valid one works within its addresses")
  void viewerTokens() {
    RawWebSocketBridgeClient anonymous = connect("/eventbus/websocket", null);
    result(anonymous.closed());
    RawWebSocketBridgeClient wrong = connect("/eventbus/websocket?token=nope", null);
    result(wrong.closed());

    RawWebSocketBridgeClient viewer = connect("/eventbus/websocket?token=viewer-a", null);
    result(viewer.register(Addresses.session("a1")));
    JsonObject sync = result(viewer.request(Addresses.SYNC, new JsonObject()));
    assertThat(sync.getString("type")).isEqualTo("rec");

    result(viewer.register(Addresses.EVENTS));
    assertThat(result(viewer.awaitError()).getString("body")).startsWith("access_denied")
        .contains(Addresses.EVENTS);
    JsonObject history = result(viewer.request(Addresses.HISTORY, new JsonObject().put("since", 0)));
    assertThat(history.getString("type")).isEqualTo("err");
    assertThat(history.getString("body")).startsWith("access_denied");

    assertThat(postWith("Bearer hook-secret").statusCode()).isEqualTo(200);
    assertThat(result(viewer.awaitCount(Addresses.session("a1"), 1)).get(0).getString("type"))
        .isEqualTo("session:start");

    JsonObject stats = result(server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send())
        .bodyAsJsonObject();
    assertThat(stats.getLong("refusedConnections")).isEqualTo(2);
    assertThat(stats.getLong("refusedMessages")).isEqualTo(2);
  }

  @Test
  @DisplayName("browsers from a foreign origin are refused; the bridge's own origin is allowed")
  void origins() {
    var foreign = RawWebSocketBridgeClient.options(server.bridgePort(), "/eventbus/websocket?token=viewer-all")
        .addHeader("Origin", "http://evil.example");
    WebSocketClient client = vertx.createWebSocketClient();
    // Refused at the upgrade, before the bridge sees a socket (LocalByDefaultTest has the other cases).
    assertThat(failure(client.connect(foreign))).isInstanceOf(UpgradeRejectedException.class)
        .hasMessageContaining("403");
    RawWebSocketBridgeClient own = connect("/eventbus/websocket?token=viewer-all",
        "http://127.0.0.1:" + server.bridgePort());
    assertThat(result(own.request(Addresses.SYNC, new JsonObject())).getString("type")).isEqualTo("rec");
  }

  @Test
  @DisplayName("a send to a guessed reply address or an internal address is refused")
  void foreignReplyAddresses() {
    BridgeClient client = connect("/eventbus/websocket?token=viewer-all", null);
    for (String address : new String[] {"__vertx.reply.1", "__vertx.reply.2", Addresses.STATE_APPLY}) {
      JsonObject reply = result(client.request(address, new JsonObject().put("seqs", new JsonArray())));
      assertThat(reply.getString("type")).as(address + " " + reply.encode()).isEqualTo("err");
    }
    assertThat(result(client.request(Addresses.SYNC, new JsonObject())).getJsonObject("body").getLong("seq")).isZero();
  }
}
