package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
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
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class BroadcastBridgeVerticleTest {
  private Vertx vertx;
  private TestServer server;

  enum Transport {
    RAW_WEBSOCKET(TestServer::rawWebSocket),
    SOCKJS_WEBSOCKET(TestServer::sockJsWebSocket),
    SOCKJS_XHR_STREAMING(TestServer::xhrStreaming);

    final Function<TestServer, Future<BridgeClient>> connect;

    Transport(Function<TestServer, Future<BridgeClient>> connect) {
      this.connect = connect;
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject()
        .put("sessions", new JsonObject().put("historySize", 50))
        .put("metrics", new JsonObject().put("intervalMs", 50)));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  /** Registers, then syncs: the sync reply proves the bridge processed the registrations before it. */
  private JsonObject subscribe(BridgeClient client, String... addresses) {
    for (String address : addresses) {
      result(client.register(address));
    }
    return result(client.request(Addresses.SYNC, new JsonObject())).getJsonObject("body");
  }

  private static JsonObject payload(String sessionId) {
    return new JsonObject().put("sessionId", sessionId);
  }

  private static List<Long> seqs(List<JsonObject> envelopes) {
    return envelopes.stream().map(e -> e.getLong("seq")).toList();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  @DisplayName("the seed flow reaches subscribers of the global, session and agent addresses, enriched and in order")
  void seedFlow(Transport transport) {
    BridgeClient client = result(transport.connect.apply(server));
    subscribe(client, Addresses.EVENTS, Addresses.session("s1"), Addresses.agent("a1"));

    server.postEvent("session:start", payload("s1").put("contextPercent", 5));
    server.postEvent("subagent:start", payload("s1").put("agentId", "a1").put("agentType", "Explore")
        .put("description", "look around"));
    server.postEvent("context:update", payload("s1").put("percent", 33).put("tokens", 66_000));
    server.postEvent("tool:pre", payload("s1").put("agentId", "a1").put("toolName", "Grep"));
    server.postEvent("tool:post", payload("s1").put("agentId", "a1").put("toolName", "Grep"));
    server.postEvent("skill:use", payload("s1").put("skill", "pdf"));
    server.postEvent("subagent:stop", payload("s1").put("agentId", "a1"));
    server.postEvent("session:end", payload("s1"));

    List<JsonObject> events = result(client.awaitCount(Addresses.EVENTS, 8));
    assertThat(events).extracting(e -> e.getString("type")).containsExactly("session:start", "subagent:start",
        "context:update", "tool:pre", "tool:post", "skill:use", "subagent:stop", "session:end");
    assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    JsonObject start = events.get(0);
    assertThat(start.getString("sessionId")).isEqualTo("s1");
    assertThat(start.getLong("receivedAt")).isPositive();
    assertThat(start.getJsonObject("payload").getInteger("tableIndex")).isZero();
    assertThat(start.getJsonObject("payload").getString("teamKey")).isNotBlank();
    assertThat(events.get(3).getString("agentId")).isEqualTo("a1");

    assertThat(seqs(result(client.awaitCount(Addresses.session("s1"), 8)))).isEqualTo(seqs(events));
    assertThat(result(client.awaitCount(Addresses.agent("a1"), 4)))
        .extracting(e -> e.getString("type")).containsExactly("subagent:start", "tool:pre", "tool:post",
            "subagent:stop");
    result(client.close());
  }

  @Test
  @DisplayName("nine sessions on eight tables: the ninth queues, then takes the table that frees up")
  void overflow() {
    BridgeClient client = result(server.rawWebSocket());
    subscribe(client, Addresses.EVENTS);
    for (int i = 1; i <= 9; i++) {
      server.postEvent("session:start", payload("s" + i));
    }
    JsonObject snapshot = server.sessions();
    assertThat(snapshot.getJsonArray("queue")).containsExactly("s9");
    JsonObject ninth = sessionOf(snapshot, "s9");
    assertThat(ninth.getValue("tableIndex")).isNull();
    assertThat(sessionOf(snapshot, "s4").getInteger("tableIndex")).isEqualTo(3);

    server.postEvent("session:end", payload("s4"));
    List<JsonObject> events = result(client.await(Addresses.EVENTS,
        list -> list.stream().anyMatch(e -> e.getString("type").equals("session:table"))));
    JsonObject handOver = events.get(events.size() - 1);
    assertThat(handOver.getString("type")).isEqualTo("session:table");
    assertThat(handOver.getJsonObject("payload").getString("sessionId")).isEqualTo("s9");
    assertThat(handOver.getJsonObject("payload").getInteger("tableIndex")).isEqualTo(3);
    assertThat(sessionOf(server.sessions(), "s9").getInteger("tableIndex")).isEqualTo(3);
    assertThat(server.sessions().getJsonArray("queue")).isEmpty();
  }

  private static JsonObject sessionOf(JsonObject snapshot, String sessionId) {
    return snapshot.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("sessionId").equals(sessionId)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  @DisplayName("snapshot then live while events flow: nothing missed, nothing twice")
  void snapshotThenLive(Transport transport) {
    List<Future<?>> flood = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      flood.add(server.post("/api/events", new JsonObject().put("type", "tool:pre")
          .put("payload", payload("busy-" + (i % 3)).put("toolName", "T"))));
      if (i == 100) {
        BridgeClient client = result(transport.connect.apply(server));
        result(client.register(Addresses.EVENTS));
        JsonObject snapshot = result(client.request(Addresses.SYNC, new JsonObject())).getJsonObject("body");
        long snapshotSeq = snapshot.getLong("seq");
        // The posts above may or may not have reached the actor yet; either way this must be a snapshot.
        assertThat(snapshot.containsKey("sessions")).as("a snapshot, not an envelope").isTrue();
        assertThat(snapshot.containsKey("type")).as("a snapshot, not an envelope").isFalse();
        flood.forEach(f -> result(f));
        for (int j = 101; j < 300; j++) {
          flood.add(server.post("/api/events", new JsonObject().put("type", "tool:pre")
              .put("payload", payload("busy-" + (j % 3)).put("toolName", "T"))));
        }
        flood.forEach(f -> result(f));
        long last = server.sessions().getLong("seq");
        List<JsonObject> received = result(client.await(Addresses.EVENTS,
            list -> !list.isEmpty() && list.get(list.size() - 1).getLong("seq") == last));
        List<Long> live = seqs(received).stream().filter(seq -> seq > snapshotSeq).toList();
        List<Long> expected = new ArrayList<>();
        for (long seq = snapshotSeq + 1; seq <= last; seq++) {
          expected.add(seq);
        }
        assertThat(live).isEqualTo(expected);
        result(client.close());
        return;
      }
    }
  }

  @Test
  @DisplayName("history replays exactly what a client missed, and says recovered:false once the gap left the window")
  void history() {
    BridgeClient client = result(server.rawWebSocket());
    for (int i = 0; i < 5; i++) {
      server.postEvent("tool:pre", payload("h").put("toolName", "T" + i));
    }
    JsonObject replay = result(client.request(Addresses.HISTORY, new JsonObject().put("since", 3)))
        .getJsonObject("body");
    assertThat(replay.getBoolean("recovered")).isTrue();
    assertThat(replay.getLong("seq")).isEqualTo(6);
    assertThat(seqs(replay.getJsonArray("events").stream().map(JsonObject.class::cast).toList()))
        .containsExactly(4L, 5L, 6L);

    for (int i = 0; i < 60; i++) {
      server.postEvent("tool:pre", payload("h").put("toolName", "T"));
    }
    JsonObject gone = result(client.request(Addresses.HISTORY, new JsonObject().put("since", 3)))
        .getJsonObject("body");
    assertThat(gone.getBoolean("recovered")).isFalse();
    assertThat(gone.getLong("seq")).isEqualTo(66);
    assertThat(gone.containsKey("events")).isFalse();

    JsonObject bad = result(client.request(Addresses.HISTORY, new JsonObject().put("since", "yesterday")));
    assertThat(bad.getString("type")).isEqualTo("err");
    assertThat(bad.getInteger("failureCode")).isEqualTo(8);
  }

  @Test
  @DisplayName("internal addresses and unknown ones are refused by the bridge; the socket keeps working")
  void denied() {
    BridgeClient client = result(server.rawWebSocket());
    result(client.register(Addresses.STATE_APPLY));
    assertThat(result(client.awaitError()).getString("body")).isEqualTo("access_denied");

    BridgeClient sender = result(server.rawWebSocket());
    result(sender.publish(Addresses.STATE_APPLY, new JsonObject().put("events", new JsonArray())));
    assertThat(result(sender.awaitError()).getString("body")).isEqualTo("access_denied");

    BridgeClient publisher = result(server.rawWebSocket());
    result(publisher.publish(Addresses.EVENTS, new JsonObject().put("seq", 999)));
    assertThat(result(publisher.awaitError()).getString("body")).isEqualTo("access_denied");

    JsonObject snapshot = subscribe(client, Addresses.EVENTS);
    assertThat(snapshot.getLong("seq")).isZero();
    server.postEvent("session:start", payload("after-denial"));
    assertThat(result(client.awaitCount(Addresses.EVENTS, 1)).get(0).getString("sessionId"))
        .isEqualTo("after-denial");
  }

  @Test
  @DisplayName("/health counts clients and subscribers per address; /stats and hookbus.metrics report the totals")
  void healthStatsAndMetrics() {
    BridgeClient one = result(server.rawWebSocket());
    BridgeClient two = result(server.xhrStreaming());
    subscribe(one, Addresses.EVENTS, Addresses.METRICS);
    subscribe(two, Addresses.EVENTS, Addresses.session("x"));
    server.postEvent("session:start", payload("x"));

    JsonObject health = result(server.http().get(server.bridgePort(), "127.0.0.1", "/health").send())
        .bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getInteger("connectedClients")).isEqualTo(2);
    assertThat(health.getInteger("activeChannels")).isEqualTo(3);
    assertThat(health.getJsonObject("channelStats")).isEqualTo(new JsonObject()
        .put(Addresses.EVENTS, 2).put(Addresses.METRICS, 1).put(Addresses.session("x"), 1));

    JsonObject stats = result(server.http().get(server.bridgePort(), "127.0.0.1", "/stats").send())
        .bodyAsJsonObject();
    assertThat(stats.getInteger("connections")).isEqualTo(2);
    assertThat(stats.getInteger("subscriptions")).isEqualTo(4);
    assertThat(stats.getLong("eventsPublished")).isEqualTo(1);
    assertThat(stats.getLong("uptimeMs")).isNotNegative();

    JsonObject metrics = result(one.await(Addresses.METRICS, list -> list.stream()
        .anyMatch(m -> m.getInteger("activeSessions") == 1))).stream()
        .filter(m -> m.getInteger("activeSessions") == 1).findFirst().orElseThrow();
    assertThat(metrics.getInteger("connectedClients")).isEqualTo(2);
    assertThat(metrics.getInteger("activeAgents")).isZero();
    assertThat(metrics.getLong("eventsPerMinute")).isEqualTo(1);

    result(two.unregister(Addresses.session("x")));
    result(two.request(Addresses.SYNC, new JsonObject()));
    result(one.close());
    JsonObject after = result(server.eventually(() -> server.http().get(server.bridgePort(), "127.0.0.1", "/health")
        .send().map(r -> r.bodyAsJsonObject()), h -> h.getInteger("connectedClients") == 1));
    assertThat(after.getJsonObject("channelStats")).isEqualTo(new JsonObject().put(Addresses.EVENTS, 1));
  }

  @Test
  @DisplayName("the bridge port serves the page at / and JSON 404s elsewhere")
  void page() {
    var page = result(server.http().get(server.bridgePort(), "127.0.0.1", "/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("hookbus");
    var missing = result(server.http().get(server.bridgePort(), "127.0.0.1", "/missing.js").send());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("code")).isEqualTo("NOT_FOUND");
  }
}
