package dev.hookbus.ingest;

import dev.hookbus.config.AppConfig;
import dev.hookbus.support.Await;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class HttpIngestVerticleTest {
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("maxBodyBytes", 4096).put("maxBatch", 3)));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private HttpResponse<Buffer> post(Object body) {
    return result(server.post("/api/events", body));
  }

  private void assertError(HttpResponse<Buffer> response, int status, String code, String mentions) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("error")).contains(mentions);
  }

  @Test
  @DisplayName("one event gets its seq, a batch gets every seq, with any content type")
  void acceptsEventsAndBatches() {
    HttpResponse<Buffer> one = result(server.http().post(server.ingestPort(), "127.0.0.1", "/api/events")
        .putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer("{\"type\":\"session:start\",\"timestamp\":1,\"payload\":{\"sessionId\":\"s1\"}}")));
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true).put("seq", 1));

    JsonArray batch = new JsonArray()
        .add(new JsonObject().put("type", "tool:pre").put("payload", new JsonObject().put("sessionId", "s1")))
        .add(new JsonObject().put("type", "deploy:finished").put("payload", new JsonObject().put("env", "prod")))
        .add(new JsonObject().put("type", "tool:post").put("payload", new JsonObject().put("sessionId", "s1")));
    assertThat(post(batch).bodyAsJsonObject().getJsonArray("seqs").stream().map(n -> ((Number) n).longValue()))
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  @DisplayName("bad input gets a JSON error with the right status and the field, and nothing of it is accepted")
  void errorTable() {
    assertError(post("{\"type\":"), 400, "INVALID_JSON", "not valid JSON");
    assertError(post(""), 400, "INVALID_JSON", "empty");
    assertError(post("42"), 422, "INVALID_EVENT", "event object");
    assertError(post("{\"payload\":{}}"), 422, "INVALID_EVENT", "type");
    assertError(post("{\"type\":7}"), 422, "INVALID_EVENT", "type");
    assertError(post("{\"type\":\"Tool Pre!\"}"), 422, "INVALID_EVENT", "type must match");
    assertError(post("{\"type\":\"tool:pre\",\"payload\":[1]}"), 422, "INVALID_EVENT", "payload must be an object");
    assertError(post("{\"type\":\"tool:pre\",\"payload\":{}}"), 422, "INVALID_EVENT", "payload.sessionId");
    assertError(post("{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":5}}"), 422, "INVALID_EVENT",
        "payload.sessionId");
    assertError(post("{\"type\":\"tool:pre\",\"timestamp\":\"now\",\"payload\":{\"sessionId\":\"s\"}}"), 422,
        "INVALID_EVENT", "timestamp");
    assertError(post("{\"type\":\"context:update\",\"payload\":{\"sessionId\":\"s\",\"percent\":150}}"), 422,
        "INVALID_EVENT", "payload.percent");
    assertError(post("{\"type\":\"context:update\",\"payload\":{\"sessionId\":\"s\",\"percent\":5,\"tokens\":-1}}"),
        422, "INVALID_EVENT", "payload.tokens");
    assertError(post("{\"type\":\"subagent:start\",\"payload\":{\"sessionId\":\"s\"}}"), 422, "INVALID_EVENT",
        "payload.agentId");
    assertError(post("{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"" + "x".repeat(200) + "\"}}"), 422,
        "INVALID_EVENT", "payload.sessionId");
    assertError(post("[{\"type\":\"session:start\",\"payload\":{\"sessionId\":\"ok\"}},"
        + "{\"type\":\"tool:pre\",\"payload\":{}}]"), 422, "INVALID_EVENT", "[1].payload.sessionId");
    assertError(post("[1]"), 422, "INVALID_EVENT", "[0] must be an object");
    assertError(post("[]"), 422, "INVALID_EVENT", "empty");
    assertError(post("[{},{},{},{}]"), 413, "PAYLOAD_TOO_LARGE", "ingest.maxBatch");
    assertError(post("{\"type\":\"x\",\"payload\":{\"pad\":\"" + "p".repeat(5000) + "\"}}"), 413,
        "PAYLOAD_TOO_LARGE", "too large");

    assertThat(server.sessions().getLong("seq")).isZero();
    assertThat(server.sessions().getJsonArray("sessions")).isEmpty();
    assertThat(server.postEvent("session:start", new JsonObject().put("sessionId", "after"))).isEqualTo(1);
  }

  @Test
  @DisplayName("unknown routes and wrong methods answer JSON 404 and 405; health and the dashboard redirect work")
  void routes() {
    HttpResponse<Buffer> missing = result(server.http().get(server.ingestPort(), "127.0.0.1", "/nope").send());
    assertError(missing, 404, "NOT_FOUND", "/nope");
    HttpResponse<Buffer> wrong = result(server.http().put(server.ingestPort(), "127.0.0.1", "/api/events").send());
    assertError(wrong, 405, "METHOD_NOT_ALLOWED", "PUT");
    JsonObject health = result(server.http().get(server.ingestPort(), "127.0.0.1", "/health").send())
        .bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getLong("timestamp")).isPositive();
    HttpResponse<Buffer> root = result(server.http().get(server.ingestPort(), "127.0.0.1", "/")
        .followRedirects(false).send());
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.getHeader("location")).isEqualTo("http://127.0.0.1:" + server.bridgePort() + "/");
  }

  @Test
  @DisplayName("CORS: a browser preflight from the dashboard's origin is allowed and echoed, never *")
  void cors() {
    String dashboard = "http://127.0.0.1:" + server.bridgePort();
    HttpResponse<Buffer> preflight = result(server.http()
        .request(HttpMethod.OPTIONS, server.ingestPort(), "127.0.0.1", "/api/events")
        .putHeader("Origin", dashboard)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type")
        .send());
    assertThat(preflight.statusCode()).isBetween(200, 204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(dashboard);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
  }

  @Test
  @DisplayName("unicode ids and payloads round-trip unchanged")
  void unicode() {
    String id = "séance-🚀-会话";
    server.postEvent("tool:pre", new JsonObject().put("sessionId", id).put("toolName", "Écrire ✍️"));
    JsonObject session = server.sessions().getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("sessionId")).isEqualTo(id);
    assertThat(session.getString("currentTool")).isEqualTo("Écrire ✍️");
  }

  @Test
  @DisplayName("a flood of concurrent posts is accepted whole, each with its own seq, no gaps")
  void flood() {
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      posts.add(server.post("/api/events", new JsonObject().put("type", "tool:pre")
          .put("payload", new JsonObject().put("sessionId", "flood-" + (i % 4)).put("toolName", "T" + i))));
    }
    List<Long> seqs = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> post : posts) {
      HttpResponse<Buffer> response = result(post);
      assertThat(response.statusCode()).isEqualTo(200);
      seqs.add(response.bodyAsJsonObject().getLong("seq"));
    }
    // 400 events + 4 derived session:start envelopes, in some interleaving.
    assertThat(seqs).doesNotHaveDuplicates().allMatch(seq -> seq >= 1 && seq <= 404);
    assertThat(server.sessions().getLong("seq")).isEqualTo(404);
    assertThat(server.sessions().getJsonArray("sessions").stream()
        .mapToLong(s -> ((JsonObject) s).getLong("toolCalls")).sum()).isEqualTo(400);
  }

  @Test
  @DisplayName("a client that vanishes mid-body does not disturb the server")
  void vanishingClient() {
    NetSocket socket = result(vertx.createNetClient().connect(server.ingestPort(), "127.0.0.1"));
    result(socket.write("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000\r\n\r\n{\"type\":\"tool:pre\","));
    result(socket.close());
    assertThat(server.postEvent("session:start", new JsonObject().put("sessionId", "still-here"))).isEqualTo(1);
  }

  @Test
  @DisplayName("with no state actor answering, ingest says 503 UNAVAILABLE instead of hanging")
  void actorMissing() {
    Vertx lonely = Vertx.vertx();
    dev.hookbus.bus.BusCodecs.register(lonely.eventBus());
    try {
      HttpIngestVerticle ingest = new HttpIngestVerticle(AppConfig.defaults().onFreePorts().ingest(), "http://x/",
          dev.hookbus.metrics.HookbusMetrics.create());
      Await.result(lonely.deployVerticle(ingest));
      HttpResponse<Buffer> response = result(io.vertx.ext.web.client.WebClient.create(lonely)
          .post(ingest.actualPort(), "127.0.0.1", "/api/events")
          .sendJsonObject(new JsonObject().put("type", "ping")));
      assertError(response, 503, "UNAVAILABLE", "not answering");
    } finally {
      result(lonely.close());
    }
  }

  @Test
  @DisplayName("seqs of sequential posts are contiguous")
  void contiguous() {
    long[] seqs = LongStream.range(0, 20)
        .map(i -> server.postEvent("custom:tick", new JsonObject().put("i", i))).toArray();
    assertThat(seqs).containsExactly(LongStream.rangeClosed(1, 20).toArray());
  }
}
