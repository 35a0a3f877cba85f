package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** permessage-deflate, which browsers always offer, is declined unless bridge.websocketCompression is on. */
class BridgeCompressionTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private String negotiatedExtensions(TestServer server) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    WebSocket socket = result(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.bridgePort()).setURI("/eventbus/000/bench0001/websocket")));
    String extensions = socket.headers().get("sec-websocket-extensions");
    result(socket.close());
    return extensions;
  }

  @Test
  @DisplayName("by default the bridge does not compress: every socket would deflate every envelope on its own")
  void offByDefault() {
    assertThat(negotiatedExtensions(TestServer.start(vertx))).isNull();
  }

  @Test
  @DisplayName("bridge.websocketCompression lets browsers negotiate permessage-deflate")
  void onWhenConfigured() {
    TestServer server = TestServer.start(vertx,
        new JsonObject().put("bridge", new JsonObject().put("websocketCompression", true)));
    assertThat(negotiatedExtensions(server)).contains("permessage-deflate");
  }

  @Test
  @DisplayName("with bridge.websocketCompression on, permessage-deflate is negotiated, frames are taken and envelopes arrive whole")
  void compressedDelivery() {
    TestServer server = TestServer.start(vertx,
        new JsonObject().put("bridge", new JsonObject().put("websocketCompression", true)));
    RawWebSocketBridgeClient client = (RawWebSocketBridgeClient) result(RawWebSocketBridgeClient.connect(vertx,
        new WebSocketClientOptions().setTryUsePerMessageCompression(true), server.bridgePort()));
    assertThat(client.socket().headers().get("sec-websocket-extensions")).contains("permessage-deflate");
    result(client.register(Addresses.EVENTS));
    result(client.request(Addresses.SYNC, new JsonObject()));
    String padding = "deflate me ".repeat(150);
    server.postEvent("load:test", new JsonObject().put("pad", padding));
    JsonObject envelope = result(client.awaitCount(Addresses.EVENTS, 1)).get(0);
    assertThat(envelope.getJsonObject("payload").getString("pad")).isEqualTo(padding);
    result(client.close());
  }
}
