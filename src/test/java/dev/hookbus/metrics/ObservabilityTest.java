package dev.hookbus.metrics;

import dev.hookbus.Hookbus;
import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityTest {
  /** The watcher scans the file once a second; allow a few scans. */
  private static final Duration RELOAD = Duration.ofSeconds(8);

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  @DisplayName("a bridge WebSocket shows in Vert.x's HTTP meters while open (a 101, an open socket) and leaves none behind")
  void webSocketMeters() {
    Vertx metered = Vertx.vertx(Hookbus.vertxOptions());
    try {
      TestServer server = TestServer.start(metered);
      Map<String, Double> before = vertxHttpMeters(server);
      BridgeClient client = result(server.rawWebSocket());
      result(client.register(Addresses.EVENTS));
      result(client.request(Addresses.SYNC, new JsonObject()));
      Map<String, Double> open = vertxHttpMeters(server);
      assertThat(open.get("vertx_http_server_active_ws_connections")).isEqualTo(1.0);
      assertThat(open.get("vertx_http_server_active_connections"))
          .isEqualTo(before.get("vertx_http_server_active_connections") + 1);
      assertThat(open.get("vertx_http_server_active_requests")).isEqualTo(before.get("vertx_http_server_active_requests"));
      assertThat(open.get("vertx_http_server_requests_total{code=\"101\"}")).isEqualTo(1.0);
      result(client.close());
      Map<String, Double> after = result(server.eventually(() -> Future.succeededFuture(vertxHttpMeters(server)),
          m -> m.get("vertx_http_server_active_ws_connections") == 0
              && m.get("vertx_http_server_active_connections").equals(before.get("vertx_http_server_active_connections"))));
      assertThat(after.get("vertx_http_server_active_requests")).isEqualTo(before.get("vertx_http_server_active_requests"));
    } finally {
      result(metered.close());
    }
  }

  /** Vert.x's HTTP server meters by name, summed over labels; the 101s by their code. */
  private static Map<String, Double> vertxHttpMeters(TestServer server) {
    String text = result(server.http().get(server.ingestPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    Map<String, Double> meters = new HashMap<>(Map.of("vertx_http_server_active_ws_connections", 0.0,
        "vertx_http_server_active_connections", 0.0, "vertx_http_server_active_requests", 0.0,
        "vertx_http_server_requests_total{code=\"101\"}", 0.0));
    for (String line : text.split("\n")) {
      if (line.startsWith("vertx_http_server_")) {
        int labels = line.indexOf('{');
        String name = line.substring(0, labels < 0 ? line.indexOf(' ') : labels);
        String key = name.equals("vertx_http_server_requests_total") && line.contains("code=\"101\"")
            ? name + "{code=\"101\"}" : name;
        meters.computeIfPresent(key, (k, sum) -> sum + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return meters;
  }

  @Test
  @DisplayName("/metrics speaks Prometheus: accepted and rejected events, latency, sockets, history, actor queue")
  void prometheus() {
    TestServer server = TestServer.start(vertx);
    BridgeClient client = result(server.rawWebSocket());
    result(client.register(Addresses.EVENTS));
    result(client.request(Addresses.SYNC, new JsonObject()));
    server.postEvent("session:start", new JsonObject().put("sessionId", "m1"));
    server.postEvent("my:custom", new JsonObject());
    result(server.post("/api/events", "{broken"));

    String text = result(server.http().get(server.ingestPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    assertThat(text)
        .contains("hookbus_events_accepted_total{type=\"session:start\"} 1.0")
        .contains("hookbus_events_accepted_total{type=\"custom\"} 1.0")
        .contains("hookbus_events_rejected_total{code=\"INVALID_JSON\"} 1.0")
        .contains("hookbus_ingest_latency_seconds_count 2")
        .contains("hookbus_ingest_latency_seconds_bucket")
        .contains("hookbus_bridge_sockets 1.0")
        .contains("hookbus_bridge_subscriptions 1.0")
        .contains("hookbus_history_size 2.0")
        .contains("hookbus_actor_in_flight 0.0")
        .contains("hookbus_bridge_slow_consumers_total 0.0");
  }

  @Test
  @DisplayName("/health/live and /health/ready answer on both ports; ready says 503 without a state actor")
  void liveAndReady() {
    TestServer server = TestServer.start(vertx);
    for (int port : new int[] {server.ingestPort(), server.bridgePort()}) {
      for (String path : new String[] {"/health/live", "/health/ready"}) {
        HttpResponse<Buffer> response = result(server.http().get(port, "127.0.0.1", path).send());
        assertThat(response.statusCode()).as(port + path).isEqualTo(200);
      }
    }
    Vertx lonely = Vertx.vertx();
    try {
      var ingest = new dev.hookbus.ingest.HttpIngestVerticle(AppConfig.defaults().onFreePorts().ingest(), "http://x/",
          HookbusMetrics.create());
      result(lonely.deployVerticle(ingest));
      HttpResponse<Buffer> ready = result(WebClient.create(lonely)
          .get(ingest.actualPort(), "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("not ready");
    } finally {
      result(lonely.close());
    }
  }

  @Test
  @DisplayName("tokens and limits reload from the config file while running")
  void liveReload() throws Exception {
    Path file = Files.createTempFile("hookbus-live", ".json");
    Files.writeString(file, "{}");
    TestServer server = TestServer.options().watchConfig(file).start(vertx);
    assertThat(result(post(server)).statusCode()).isEqualTo(200);

    Files.writeString(file, "{\"ingest\":{\"tokens\":[\"rotated\"]},\"bridge\":{\"maxSubscriptionsPerSocket\":1}}");
    result(server.eventually(() -> post(server), r -> r.statusCode() == 401, RELOAD));
    BridgeClient client = result(server.rawWebSocket());
    result(client.register(Addresses.EVENTS));
    result(client.register(Addresses.METRICS));
    assertThat(result(client.awaitError()).getString("body")).startsWith("too_many_subscriptions");

    Files.writeString(file, "{\"ingest\":{\"tokens\":\"not-a-list\"}}");
    Files.writeString(file, "{\"ingest\":{\"tokens\":[]}}");
    result(server.eventually(() -> post(server), r -> r.statusCode() == 200, RELOAD));
  }

  private static Future<HttpResponse<Buffer>> post(TestServer server) {
    return server.post("/api/events", new JsonObject().put("type", "reload:probe"));
  }
}
