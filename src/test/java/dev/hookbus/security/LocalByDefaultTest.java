package dev.hookbus.security;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.hookbus.support.Await.failure;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 from the outside: what a web page (a foreign origin, a simple cross-site POST, a DNS-rebinding page)
 * can do against the default config, and that hooks and the dashboard keep working.
 */
class LocalByDefaultTest {
  private static final String EVIL = "https://evil.example";

  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private HttpResponse<Buffer> send(HttpMethod method, int port, String path, Map<String, String> headers,
                                    String body) {
    HttpRequest<Buffer> request = server.http().request(method, port, "127.0.0.1", path);
    headers.forEach(request::putHeader);
    return result(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> get(int port, String path, Map<String, String> headers) {
    return send(HttpMethod.GET, port, path, headers, null);
  }

  private static void assertRefused(HttpResponse<Buffer> response, int status, String code, String what) {
    assertThat(response.statusCode()).as(what + ": " + response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).as(what).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("code")).as(what).isEqualTo(code);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).as(what).isNull();
  }

  private String dashboardOrigin(String host) {
    return "http://" + host + ":" + server.bridgePort();
  }

  private List<String> sessionIds() {
    return server.sessions().getJsonArray("sessions").stream()
        .map(s -> ((JsonObject) s).getString("sessionId")).toList();
  }

  @Test
  @DisplayName("a foreign origin cannot read events or sessions: 403 FORBIDDEN_ORIGIN, no data, no CORS header")
  void foreignOriginCannotRead() {
    long seq = server.postEvent("prompt:submit", new JsonObject().put("sessionId", "s-private")
        .put("prompt", "the user's secret prompt"));
    for (String path : List.of("/api/events?limit=1000", "/api/events/" + seq, "/api/sessions", "/health",
        "/metrics", "/")) {
      for (String origin : List.of(EVIL, "null", "http://127.0.0.1:1", "http://localhost:" + server.ingestPort())) {
        HttpResponse<Buffer> response = get(server.ingestPort(), path, Map.of("Origin", origin));
        assertRefused(response, 403, "FORBIDDEN_ORIGIN", origin + " " + path);
        assertThat(response.bodyAsString()).doesNotContain("s-private").doesNotContain("secret");
      }
    }
    HttpResponse<Buffer> noOriginCrossSite = get(server.ingestPort(), "/api/sessions",
        Map.of("Sec-Fetch-Site", "cross-site"));
    assertRefused(noOriginCrossSite, 403, "FORBIDDEN_ORIGIN", "Sec-Fetch-Site: cross-site");
    assertThat(noOriginCrossSite.bodyAsString()).doesNotContain("s-private");
    HttpResponse<Buffer> preflight = send(HttpMethod.OPTIONS, server.ingestPort(), "/api/events",
        Map.of("Origin", EVIL, "Access-Control-Request-Method", "POST"), null);
    assertRefused(preflight, 403, "FORBIDDEN_ORIGIN", "foreign preflight");
  }

  @Test
  @DisplayName("simple cross-site POSTs (text/plain, form, multipart) are refused and nothing lands")
  void simpleCrossSitePostsAreRefused() {
    String event = "{\"type\":\"permission:request\",\"payload\":{\"sessionId\":\"s-planted\",\"toolName\":\"Bash\"}}";
    String hook = "{\"hook_event_name\":\"PermissionRequest\",\"session_id\":\"s-planted-hook\","
        + "\"tool_name\":\"Bash\"}";
    Map<String, String> bodies = Map.of(
        "text/plain;charset=UTF-8", event,
        "application/x-www-form-urlencoded", event,
        "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"" + event
            + "\"\r\n\r\nx\r\n--xyz--\r\n");
    bodies.forEach((type, body) -> {
      for (String path : List.of("/api/events", "/api/hooks/claude", "/api/statusline")) {
        String sent = path.equals("/api/events") ? body : body.replace(event, hook);
        for (Map<String, String> page : List.of(Map.of("Origin", EVIL), Map.of("Origin", "null"),
            Map.of("Sec-Fetch-Site", "cross-site"))) {
          Map<String, String> headers = new java.util.HashMap<>(page);
          headers.put("Content-Type", type);
          assertRefused(send(HttpMethod.POST, server.ingestPort(), path, headers, sent), 403, "FORBIDDEN_ORIGIN",
              type + " to " + path + " from " + page);
        }
      }
    });
    // A hook's POST after them lands, and it is the only thing that did.
    server.postEvent("session:start", new JsonObject().put("sessionId", "s-hook"));
    assertThat(sessionIds()).containsExactly("s-hook");
    JsonObject events = get(server.ingestPort(), "/api/events", Map.of()).bodyAsJsonObject();
    assertThat(events.getJsonArray("events")).hasSize(1);
  }

  @Test
  @DisplayName("a foreign Host (DNS rebinding) gets 421 MISDIRECTED_HOST on every route of both ports")
  void foreignHostIsMisdirected() {
    int ingest = server.ingestPort();
    int bridge = server.bridgePort();
    String event = "{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"s-rebound\"}}";
    List<Object[]> routes = List.of(
        new Object[] {ingest, HttpMethod.GET, "/api/events", null},
        new Object[] {ingest, HttpMethod.POST, "/api/events", event},
        new Object[] {ingest, HttpMethod.POST, "/api/hooks/claude", "{\"hook_event_name\":\"SessionStart\","
            + "\"session_id\":\"s-rebound\"}"},
        new Object[] {ingest, HttpMethod.POST, "/api/statusline", "{\"session_id\":\"s-rebound\"}"},
        new Object[] {ingest, HttpMethod.GET, "/api/sessions", null},
        new Object[] {ingest, HttpMethod.GET, "/api/events/1", null},
        new Object[] {ingest, HttpMethod.GET, "/health", null},
        new Object[] {ingest, HttpMethod.GET, "/health/ready", null},
        new Object[] {ingest, HttpMethod.GET, "/metrics", null},
        new Object[] {ingest, HttpMethod.GET, "/", null},
        new Object[] {ingest, HttpMethod.OPTIONS, "/api/events", null},
        new Object[] {bridge, HttpMethod.GET, "/", null},
        new Object[] {bridge, HttpMethod.GET, "/index.html", null},
        new Object[] {bridge, HttpMethod.GET, "/config.json", null},
        new Object[] {bridge, HttpMethod.GET, "/eventbus/info", null},
        new Object[] {bridge, HttpMethod.POST, "/eventbus/123/abcdefgh/xhr_streaming", null},
        new Object[] {bridge, HttpMethod.GET, "/health", null},
        new Object[] {bridge, HttpMethod.GET, "/health/ready", null},
        new Object[] {bridge, HttpMethod.GET, "/stats", null});
    for (Object[] route : routes) {
      int port = (int) route[0];
      for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port,
          "localhost.evil.example:" + port)) {
        HttpResponse<Buffer> response = send((HttpMethod) route[1], port, (String) route[2],
            Map.of("Host", host, "Origin", "http://" + host), (String) route[3]);
        assertRefused(response, 421, "MISDIRECTED_HOST", host + " " + route[1] + " " + route[2]);
      }
    }
    assertThat(sessionIds()).isEmpty();
    for (String host : List.of("127.0.0.1", "localhost:" + ingest, "LOCALHOST", "[::1]:" + ingest, "[::1]")) {
      assertThat(get(ingest, "/health", Map.of("Host", host)).statusCode()).as(host).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a rebinding page cannot open the bridge's WebSocket, raw or SockJS")
  void rebindingPageCannotOpenTheBridge() {
    int bridge = server.bridgePort();
    for (String uri : List.of("/eventbus/websocket", "/eventbus/123/abcdefgh/websocket")) {
      assertThat(upgradeRefused(uri, "evil.example:" + bridge, "http://evil.example:" + bridge)).as(uri)
          .isEqualTo(421);
      // A foreign page that talks to the loopback name directly (no rebinding), or a page on another local port.
      assertThat(upgradeRefused(uri, "127.0.0.1:" + bridge, "http://evil.example:" + bridge)).as(uri)
          .isEqualTo(403);
      assertThat(upgradeRefused(uri, "127.0.0.1:" + bridge, "http://127.0.0.1:" + server.ingestPort())).as(uri)
          .isEqualTo(403);
    }
    HttpResponse<Buffer> info = get(bridge, "/eventbus/info", Map.of("Origin", EVIL));
    assertRefused(info, 403, "FORBIDDEN_ORIGIN", "/eventbus/info from a foreign origin");
  }

  @Test
  @DisplayName("the dashboard's own origins (127.0.0.1, localhost, [::1] at the bridge port) keep working")
  void dashboardOriginsWork() throws Exception {
    long seq = server.postEvent("tool:pre", new JsonObject().put("sessionId", "s-dash").put("toolName", "Read"));
    for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
      String origin = dashboardOrigin(host);
      HttpResponse<Buffer> full = get(server.ingestPort(), "/api/events/" + seq,
          Map.of("Origin", origin, "Sec-Fetch-Site", "same-site"));
      assertThat(full.statusCode()).as(origin).isEqualTo(200);
      assertThat(full.getHeader("Access-Control-Allow-Origin")).isEqualTo(origin);
      assertThat(full.bodyAsJsonObject().getLong("seq")).isEqualTo(seq);
      HttpResponse<Buffer> preflight = send(HttpMethod.OPTIONS, server.ingestPort(), "/api/events",
          Map.of("Origin", origin, "Access-Control-Request-Method", "POST",
              "Access-Control-Request-Headers", "content-type"), null);
      assertThat(preflight.statusCode()).as(origin).isBetween(200, 204);
      assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(origin);
    }
    HttpResponse<Buffer> info = get(server.bridgePort(), "/eventbus/info",
        Map.of("Origin", dashboardOrigin("localhost")));
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.getHeader("Access-Control-Allow-Origin")).isEqualTo(dashboardOrigin("localhost"));
    for (String host : List.of("127.0.0.1", "localhost")) {
      // The page opened under one loopback name may connect under another: same bridge, same port.
      RawWebSocketBridgeClient socket = result(RawWebSocketBridgeClient.connect(vertx,
          RawWebSocketBridgeClient.options(server.bridgePort(), "/eventbus/websocket")
              .addHeader("Origin", dashboardOrigin(host)).addHeader("Host", "localhost:" + server.bridgePort())));
      assertThat(result(socket.request(Addresses.SYNC, new JsonObject())).getString("type")).isEqualTo("rec");
      result(socket.close());
    }
  }

  @Test
  @DisplayName("hooks and curl (no Origin, no Sec-Fetch-Site) work on every ingest route")
  void hooksWithoutOriginWork() {
    HttpResponse<Buffer> hook = send(HttpMethod.POST, server.ingestPort(), "/api/hooks/claude",
        Map.of("Content-Type", "application/json"),
        "{\"hook_event_name\":\"SessionStart\",\"session_id\":\"s-claude\",\"source\":\"startup\"}");
    assertThat(hook.statusCode()).as(hook.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> curl = send(HttpMethod.POST, server.ingestPort(), "/api/events",
        Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":\"s-claude\",\"toolName\":\"Bash\"}}");
    assertThat(curl.statusCode()).as(curl.bodyAsString()).isEqualTo(200);
    assertThat(sessionIds()).containsExactly("s-claude");
    HttpResponse<Buffer> sameOriginNavigation = get(server.ingestPort(), "/health",
        Map.of("Sec-Fetch-Site", "none"));
    assertThat(sameOriginNavigation.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a request with no Host at all (HTTP/1.0) is refused on loopback")
  void noHostIsRefused() {
    for (int port : new int[] {server.ingestPort(), server.bridgePort()}) {
      String answer = result(rawHttp(port, "GET /health HTTP/1.0\r\n\r\n"));
      assertThat(answer).as(answer).startsWith("HTTP/1.0 421").contains("MISDIRECTED_HOST");
    }
  }

  @Test
  @DisplayName("allowedHosts and corsOrigins widen the defaults, also when reloaded live")
  void allowedHostsWiden() {
    result(vertx.close());
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("allowedHosts", new JsonArray().add("hookbus.test"))
            .put("corsOrigins", new JsonArray().add("https://tool.example")))
        .put("bridge", new JsonObject().put("allowedHosts", new JsonArray().add("Hookbus.Test"))));
    int ingest = server.ingestPort();
    int bridge = server.bridgePort();
    assertThat(get(ingest, "/health", Map.of("Host", "hookbus.test:" + ingest)).statusCode()).isEqualTo(200);
    assertThat(get(bridge, "/health", Map.of("Host", "hookbus.test:" + bridge)).statusCode()).isEqualTo(200);
    assertThat(get(bridge, "/health", Map.of("Host", "other.test:" + bridge)).statusCode()).isEqualTo(421);
    long seq = server.postEvent("session:start", new JsonObject().put("sessionId", "s-wide"));
    for (String origin : List.of("http://hookbus.test:" + bridge, "https://tool.example")) {
      HttpResponse<Buffer> read = get(ingest, "/api/events/" + seq, Map.of("Origin", origin));
      assertThat(read.statusCode()).as(origin).isEqualTo(200);
      assertThat(read.getHeader("Access-Control-Allow-Origin")).isEqualTo(origin);
    }
    RawWebSocketBridgeClient socket = result(RawWebSocketBridgeClient.connect(vertx,
        RawWebSocketBridgeClient.options(bridge, "/eventbus/websocket")
            .addHeader("Host", "hookbus.test:" + bridge).addHeader("Origin", "http://hookbus.test:" + bridge)));
    assertThat(result(socket.request(Addresses.SYNC, new JsonObject())).getString("type")).isEqualTo("rec");

    JsonObject reloaded = new JsonObject()
        .put("ingest", new JsonObject().put("allowedHosts", new JsonArray().add("late.test"))
            .put("corsOrigins", new JsonArray().add("*")))
        .put("bridge", new JsonObject().put("allowedHosts", new JsonArray().add("late.test")));
    vertx.eventBus().publish(Addresses.CONFIG_RELOAD, reloaded);
    HttpResponse<Buffer> late = result(server.eventually(
        () -> server.http().get(ingest, "127.0.0.1", "/health").putHeader("Host", "late.test").send(),
        response -> response.statusCode() == 200));
    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(get(ingest, "/health", Map.of("Host", "hookbus.test")).statusCode()).isEqualTo(421);
    HttpResponse<Buffer> anyOrigin = get(ingest, "/api/events/" + seq, Map.of("Origin", EVIL));
    assertThat(anyOrigin.statusCode()).isEqualTo(200);
    assertThat(anyOrigin.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(result(server.eventually(
        () -> server.http().get(bridge, "127.0.0.1", "/health").putHeader("Host", "late.test").send(),
        response -> response.statusCode() == 200)).statusCode()).isEqualTo(200);
  }

  /** The status a refused WebSocket upgrade answered with. */
  private int upgradeRefused(String uri, String host, String origin) {
    WebSocketConnectOptions options = RawWebSocketBridgeClient.options(server.bridgePort(), uri)
        .addHeader("Host", host).addHeader("Origin", origin);
    // Held in a variable until the answer is in: a client nobody references may be closed by Vert.x's cleaner.
    WebSocketClient client = vertx.createWebSocketClient();
    Throwable refused = failure(client.connect(options));
    result(client.close());
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) refused).getStatus();
  }

  /** Sends raw bytes and returns everything the server answered until it closed the connection. */
  private Future<String> rawHttp(int port, String request) {
    return vertx.createNetClient().connect(port, "127.0.0.1").compose(socket -> {
      Promise<String> answer = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> answer.tryComplete(received.toString()));
      return socket.write(request).compose(v -> answer.future());
    });
  }
}
