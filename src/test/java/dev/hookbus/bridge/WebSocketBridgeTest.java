package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** hookbus's own WebSocket handler: SockJS framing, batching per turn, one bus consumer per address, timeouts. */
class WebSocketBridgeTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private TestServer server(JsonObject bridge) {
    return TestServer.start(vertx, new JsonObject().put("bridge", bridge));
  }

  private SockJsWebSocketBridgeClient sockJs(TestServer server) {
    return result(SockJsWebSocketBridgeClient.connect(vertx, server.bridgePort(), ""));
  }

  private static void subscribe(BridgeClient client, String... addresses) {
    for (String address : addresses) {
      result(client.register(address));
    }
    result(client.request(Addresses.SYNC, new JsonObject()));
  }

  private static JsonObject stats(TestServer server) {
    return result(server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send()).bodyAsJsonObject();
  }

  private static Future<JsonObject> statsLater(TestServer server) {
    return server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send().map(r -> r.bodyAsJsonObject());
  }

  private static String publishFrame(String topic, int n) {
    return new JsonObject().put("type", "publish").put("address", Addresses.topic(topic))
        .put("body", new JsonObject().put("n", n)).encode();
  }

  @Test
  @DisplayName("messages due to a socket in one event-loop turn reach a SockJS client in one a[…] frame, in order")
  void batchedPerTurn() {
    TestServer server = server(new JsonObject());
    SockJsWebSocketBridgeClient listener = sockJs(server);
    subscribe(listener, Addresses.topic("batch"));
    SockJsWebSocketBridgeClient talker = sockJs(server);
    // One SockJS message holding three publishes: the server handles them in one turn.
    result(talker.writeRaw(new JsonArray().add(publishFrame("batch", 1)).add(publishFrame("batch", 2))
        .add(publishFrame("batch", 3)).encode()));
    assertThat(result(listener.awaitCount(Addresses.topic("batch"), 3))).extracting(b -> b.getInteger("n"))
        .containsExactly(1, 2, 3);
    List<String> frames = listener.messageFrames();
    JsonArray last = new JsonArray(frames.get(frames.size() - 1).substring(1));
    assertThat(last).hasSize(3);
    assertThat(new JsonObject(last.getString(0)).getString("address")).isEqualTo(Addresses.topic("batch"));
  }

  @Test
  @DisplayName("one event-bus consumer per address however many sockets subscribe; none once they left")
  void oneConsumerPerAddress() {
    // Heartbeats every 200 ms: the timer that sweeps unused consumers runs every 50 ms.
    TestServer server = server(new JsonObject().put("heartbeatIntervalMs", 200));
    List<BridgeClient> clients = List.of(sockJs(server), sockJs(server), result(server.rawWebSocket()));
    clients.forEach(c -> subscribe(c, Addresses.EVENTS));
    subscribe(clients.get(0), Addresses.session("s1"));
    assertThat(stats(server).getInteger("busConsumers")).isEqualTo(2);
    assertThat(stats(server).getInteger("subscriptions")).isEqualTo(4);

    server.postEvent("session:start", new JsonObject().put("sessionId", "s1"));
    clients.forEach(c -> assertThat(result(c.awaitCount(Addresses.EVENTS, 1))).hasSize(1));
    assertThat(result(clients.get(0).awaitCount(Addresses.session("s1"), 1))).hasSize(1);

    result(clients.get(1).unregister(Addresses.EVENTS));
    result(clients.get(1).register(Addresses.EVENTS));
    result(clients.get(1).request(Addresses.SYNC, new JsonObject()));
    assertThat(stats(server).getInteger("busConsumers")).isEqualTo(2);
    clients.forEach(c -> result(c.close()));
    assertThat(result(server.eventually(() -> statsLater(server), s -> s.getInteger("busConsumers") == 0))
        .getInteger("connections")).isZero();
  }

  @Test
  @DisplayName("after unregister a socket gets nothing more on that address, and still gets its others")
  void unregisterStopsDelivery() {
    TestServer server = server(new JsonObject());
    for (BridgeClient client : List.of(sockJs(server), result(server.rawWebSocket()))) {
      subscribe(client, Addresses.EVENTS, Addresses.session("u"));
      result(client.unregister(Addresses.EVENTS));
      result(client.request(Addresses.SYNC, new JsonObject()));
      long before = server.sessions().getLong("seq");
      server.postEvent("session:start", new JsonObject().put("sessionId", "u"));
      // The envelope goes to hookbus.events before the session address: had it come, it would be here first.
      assertThat(result(client.awaitCount(Addresses.session("u"), 1)).get(0).getLong("seq")).isEqualTo(before + 1);
      assertThat(client.bodies(Addresses.EVENTS)).isEmpty();
      result(client.close());
    }
  }

  @Test
  @DisplayName("SockJS sockets get h heartbeats every bridge.heartbeatIntervalMs")
  void heartbeats() {
    TestServer server = server(new JsonObject().put("heartbeatIntervalMs", 100));
    SockJsWebSocketBridgeClient client = sockJs(server);
    // The client pings (as vertx-eventbus.js does every 5 s) so that only the heartbeat is awaited.
    result(client.ping());
    result(client.heartbeatSeen());
  }

  @Test
  @DisplayName("a socket silent for bridge.pingTimeoutMs is closed: SockJS with c[3000], raw with 1001")
  void pingTimeout() {
    TestServer server = server(new JsonObject().put("pingTimeoutMs", 300));
    SockJsWebSocketBridgeClient sockJs = sockJs(server);
    RawWebSocketBridgeClient raw = (RawWebSocketBridgeClient) result(server.rawWebSocket());
    assertThat(result(sockJs.closeFrame())).isEqualTo(new JsonArray().add(3000).add("Go away!"));
    assertThat(result(raw.closed())).isEqualTo(1001);
    assertThat(result(server.eventually(() -> statsLater(server), s -> s.getInteger("connections") == 0))
        .getInteger("connections")).isZero();
  }

  @Test
  @DisplayName("a client that closes while events are written to it: the others get every event, it is forgotten")
  void closesMidWrite() {
    TestServer server = server(new JsonObject());
    SockJsWebSocketBridgeClient healthy = sockJs(server);
    SockJsWebSocketBridgeClient leaving = sockJs(server);
    subscribe(healthy, Addresses.EVENTS);
    subscribe(leaving, Addresses.EVENTS);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 200; i++) {
      batch.add(new JsonObject().put("type", "load:test").put("payload", new JsonObject().put("i", i)));
    }
    Future<?> posted = server.post("/api/events", batch);
    result(leaving.awaitCount(Addresses.EVENTS, 1));
    result(leaving.close());
    result(posted);
    List<Long> seqs = result(healthy.awaitCount(Addresses.EVENTS, 200)).stream().map(e -> e.getLong("seq")).toList();
    assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, 200).boxed().toList());
    JsonObject after = result(server.eventually(() -> statsLater(server), s -> s.getInteger("connections") == 1));
    assertThat(after.getInteger("busConsumers")).isEqualTo(1);
  }

  @Test
  @DisplayName("bridge.instances 2: sockets land on both instances, one consumer each, every event in order")
  void twoInstances() {
    TestServer server = server(new JsonObject().put("instances", 2));
    List<BridgeClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      BridgeClient client = i % 2 == 0 ? sockJs(server) : result(server.rawWebSocket());
      subscribe(client, Addresses.EVENTS);
      clients.add(client);
    }
    assertThat(stats(server).getInteger("busConsumers")).isEqualTo(2);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 50; i++) {
      batch.add(new JsonObject().put("type", "load:test").put("payload", new JsonObject().put("i", i)));
    }
    result(server.post("/api/events", batch));
    for (BridgeClient client : clients) {
      assertThat(result(client.awaitCount(Addresses.EVENTS, 50)).stream().map(e -> e.getLong("seq")).toList())
          .isEqualTo(LongStream.rangeClosed(1, 50).boxed().toList());
    }
  }

  @Test
  @DisplayName("/eventbus/info stays vertx-web's and offers the websocket transport")
  void info() {
    TestServer server = server(new JsonObject());
    JsonObject info = result(server.http().get(server.bridgePort(), "127.0.0.1", "/eventbus/info").send())
        .bodyAsJsonObject();
    assertThat(info.getBoolean("websocket")).isTrue();
  }

  @Test
  @DisplayName("SockJS: a socket that keeps breaking the rules gets its errors, then c[4008]")
  void sockJsAbuseClose() {
    TestServer server = server(new JsonObject().put("inboundRatePerSecond", 1).put("inboundBurst", 1)
        .put("maxViolationsPerSocket", 2));
    SockJsWebSocketBridgeClient flooder = sockJs(server);
    JsonArray floods = new JsonArray();
    for (int i = 0; i < 10; i++) {
      floods.add(publishFrame("flood", i));
    }
    result(flooder.writeRaw(floods.encode()));
    assertThat(result(flooder.closeFrame())).isEqualTo(new JsonArray().add(4008).add("policy violation"));
    assertThat(result(flooder.awaitError()).getString("body")).startsWith("rate_limited");
    assertThat(result(flooder.closed())).isEqualTo(4008);
  }

  @Test
  @DisplayName("SockJS: a message that is not a JSON string or array of strings closes the socket")
  void malformedSockJsMessage() {
    TestServer server = server(new JsonObject());
    SockJsWebSocketBridgeClient client = sockJs(server);
    result(client.writeRaw("{\"type\":\"ping\"}"));
    assertThat(result(client.closeFrame()).getInteger(0)).isEqualTo(3000);
  }

  @Test
  @DisplayName("SockJS: viewer tokens on the URL; a socket without one gets o, then c[3000]")
  void sockJsTokens() {
    TestServer server = server(new JsonObject().put("tokens", new JsonArray()
        .add(new JsonObject().put("token", "viewer").put("addresses", new JsonArray().add("hookbus.*")))));
    SockJsWebSocketBridgeClient anonymous = sockJs(server);
    assertThat(result(anonymous.closeFrame()).getInteger(0)).isEqualTo(3000);
    SockJsWebSocketBridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(vertx, server.bridgePort(),
        "?token=viewer"));
    assertThat(result(viewer.request(Addresses.SYNC, new JsonObject())).getString("type")).isEqualTo("rec");
  }

  @Test
  @DisplayName("WebSocket protocol: a ping gets its pong, a message past 256 KB closes with 1009, bad UTF-8 with 1007; the others go on")
  void protocolEdges() {
    TestServer server = server(new JsonObject());
    RawWebSocketBridgeClient healthy = (RawWebSocketBridgeClient) result(server.rawWebSocket());
    subscribe(healthy, Addresses.EVENTS);
    Promise<Buffer> pong = Promise.promise();
    healthy.socket().pongHandler(pong::tryComplete);
    result(healthy.socket().writePing(Buffer.buffer("are you there")));
    assertThat(result(pong.future()).toString()).isEqualTo("are you there");

    RawWebSocketBridgeClient big = (RawWebSocketBridgeClient) result(server.rawWebSocket());
    String padding = "x".repeat(300 * 1024);
    String frame = new JsonObject().put("type", "publish").put("address", Addresses.topic("big"))
        .put("body", padding).encode();
    // In frames under the 64 KB frame cap, so that the message cap is what refuses it.
    for (int from = 0; from < frame.length(); from += 60_000) {
      int to = Math.min(frame.length(), from + 60_000);
      String part = frame.substring(from, to);
      boolean last = to == frame.length();
      result(big.socket().writeFrame(from == 0 ? WebSocketFrame.textFrame(part, last)
          : WebSocketFrame.continuationFrame(Buffer.buffer(part), last)));
    }
    assertThat(result(big.closed())).isEqualTo(1009);

    RawWebSocketBridgeClient garbled = (RawWebSocketBridgeClient) result(server.rawWebSocket());
    result(garbled.socket().writeFrame(WebSocketFrame.textFrame("{", false)));
    result(garbled.socket().writeFrame(WebSocketFrame.continuationFrame(
        Buffer.buffer(new byte[] {(byte) 0xC3, (byte) 0x28, '}'}), true)));
    assertThat(result(garbled.closed())).isEqualTo(1007);

    server.postEvent("after:edges", new JsonObject());
    assertThat(result(healthy.awaitCount(Addresses.EVENTS, 1)).get(0).getString("type")).isEqualTo("after:edges");
    assertThat(result(server.eventually(() -> statsLater(server), s -> s.getInteger("connections") == 1))
        .getInteger("connections")).isEqualTo(1);
  }
}
