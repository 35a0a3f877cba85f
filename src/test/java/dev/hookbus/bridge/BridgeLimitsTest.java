package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.StalledWebSocket;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Topics and per-socket limits: a misbehaving client gets errors, then is cut off; the others carry on. */
class BridgeLimitsTest {
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject().put("bridge", new JsonObject()
        .put("inboundRatePerSecond", 5).put("inboundBurst", 5).put("maxViolationsPerSocket", 3)
        .put("maxSubscriptionsPerSocket", 3).put("maxClientMessageBytes", 1024).put("maxConnections", 4)
        .put("maxQueuedBytesPerSocket", 65536)));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private RawWebSocketBridgeClient raw() {
    return (RawWebSocketBridgeClient) result(server.rawWebSocket());
  }

  @Test
  @DisplayName("clients publish to topics; bad topic names and oversized bodies are refused with a reason")
  void topics() {
    BridgeClient listener = raw();
    BridgeClient talker = raw();
    result(listener.register(Addresses.topic("deploys")));
    result(listener.request(Addresses.SYNC, new JsonObject()));
    result(talker.publish(Addresses.topic("deploys"), new JsonObject().put("env", "prod")));
    assertThat(result(listener.awaitCount(Addresses.topic("deploys"), 1)).get(0).getString("env")).isEqualTo("prod");

    result(talker.publish(Addresses.topic("bad name!"), new JsonObject()));
    assertThat(result(talker.awaitError()).getString("body")).startsWith("invalid_topic");
    BridgeClient big = raw();
    result(big.publish(Addresses.topic("deploys"), new JsonObject().put("pad", "x".repeat(2000))));
    assertThat(result(big.awaitError()).getString("body")).startsWith("message_too_large");
    assertThat(listener.bodies(Addresses.topic("deploys"))).hasSize(1);
  }

  @Test
  @DisplayName("a flooding sender is rate limited, then disconnected, while another client keeps receiving")
  void floodingSender() {
    BridgeClient listener = raw();
    result(listener.register(Addresses.topic("chat")));
    result(listener.request(Addresses.SYNC, new JsonObject()));
    RawWebSocketBridgeClient flooder = raw();
    for (int i = 0; i < 30; i++) {
      flooder.publish(Addresses.topic("chat"), new JsonObject().put("i", i));
    }
    assertThat(result(flooder.closed())).isEqualTo(4008);
    assertThat(result(flooder.awaitError()).getString("body")).startsWith("rate_limited");
    List<JsonObject> heard = result(listener.awaitCount(Addresses.topic("chat"), 5));
    assertThat(heard.size()).isBetween(5, 6);

    server.postEvent("session:start", new JsonObject().put("sessionId", "still-served"));
    result(listener.register(Addresses.EVENTS));
    result(listener.request(Addresses.SYNC, new JsonObject()));
    server.postEvent("tool:pre", new JsonObject().put("sessionId", "still-served"));
    assertThat(result(listener.awaitCount(Addresses.EVENTS, 1))).hasSize(1);
    JsonObject stats = result(server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send())
        .bodyAsJsonObject();
    assertThat(stats.getLong("rateLimited")).isGreaterThanOrEqualTo(4);
    assertThat(stats.getLong("abusiveClosed")).isEqualTo(1);
  }

  @Test
  @DisplayName("subscriptions per socket and connections are capped")
  void caps() {
    BridgeClient client = raw();
    for (String address : new String[] {Addresses.EVENTS, Addresses.METRICS, Addresses.session("a")}) {
      result(client.register(address));
    }
    result(client.register(Addresses.session("b")));
    assertThat(result(client.awaitError()).getString("body")).startsWith("too_many_subscriptions");

    raw();
    raw();
    raw();
    RawWebSocketBridgeClient fifth = raw();
    assertThat(result(fifth.closed())).isEqualTo(1000);
  }

  @ParameterizedTest(name = "over SockJS: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("a subscriber that stops reading is cut off as a slow consumer; the others get every event")
  void slowConsumer(boolean sockJs) throws Exception {
    BridgeClient healthy = raw();
    result(healthy.register(Addresses.EVENTS));
    result(healthy.request(Addresses.SYNC, new JsonObject()));
    try (StalledWebSocket stalled = sockJs ? StalledWebSocket.subscribeSockJs(server.bridgePort(), Addresses.EVENTS)
        : StalledWebSocket.subscribe(server.bridgePort(), Addresses.EVENTS)) {
      result(server.eventually(this::health, h -> h.getJsonObject("channelStats").getInteger(Addresses.EVENTS) == 2));
      String padding = "p".repeat(16 * 1024);
      int events = 0;
      while (events < 2_000 && bridgeStats().getLong("slowConsumersClosed") == 0) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 20; i++, events++) {
          batch.add(new JsonObject().put("type", "load:test").put("payload", new JsonObject().put("pad", padding)));
        }
        result(server.post("/api/events", batch));
        result(healthy.awaitCount(Addresses.EVENTS, events));
      }
      // The cut-off came long before everything was sent: the stalled socket held at most the configured queue.
      assertThat(events).isLessThan(2_000);
      assertThat(result(server.eventually(this::health, h -> h.getInteger("connectedClients") == 1))
          .getJsonObject("channelStats").getInteger(Addresses.EVENTS)).isEqualTo(1);
      server.postEvent("after:cutoff", new JsonObject());
      assertThat(result(healthy.awaitCount(Addresses.EVENTS, events + 1))).hasSize(events + 1);
    }
  }

  private Future<JsonObject> health() {
    return server.http().get(server.bridgePort(), "127.0.0.1", "/health").send().map(r -> r.bodyAsJsonObject());
  }

  private JsonObject bridgeStats() {
    return result(server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send()).bodyAsJsonObject();
  }
}
