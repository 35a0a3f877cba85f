package dev.hookbus.ingest;

import dev.hookbus.support.CapturedLog;
import dev.hookbus.support.PostRoute;
import dev.hookbus.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: any Content-Type (curl's form default, none, text, multipart, a wrong charset), any size up to
 * {@code ingest.maxBodyBytes} (16 MiB by default), is read as UTF-8 JSON on every POST route; over the limit is a
 * JSON 413; every error the ingest port gives is the JSON error table, and none of it logs a WARN or an ERROR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnyContentTypeTest {
  private static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;
  /** What a form decoder chokes on ("50% done"), what it would split on (&, =, +), and what a wrong charset mangles. */
  private static final String TRICKY = "50% done & a=b+c %zz é ✓ ";
  private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded", "",
      "text/plain", "multipart/form-data; boundary=xyz", "text/plain; charset=latin1",
      "application/json; charset=iso-8859-1");

  private Vertx vertx;
  private TestServer server;
  private CapturedLog log;

  @TempDir
  static java.nio.file.Path store;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    // A short history: the 10 MB events must not pile up in the test's heap. The journal holds the whole bodies
    // (memory keeps only the copies cut for browsers).
    server = TestServer.options().config(new JsonObject().put("sessions", new JsonObject().put("historySize", 4)))
        .store(store).start(vertx);
    log = CapturedLog.start();
  }

  @AfterEach
  void quiet() {
    assertThat(log.problems()).isEmpty();
  }

  @AfterAll
  void stop() {
    log.close();
    result(vertx.close());
  }

  Stream<Arguments> everyTypeSizeAndRoute() {
    List<Arguments> cases = new ArrayList<>();
    for (PostRoute route : PostRoute.values()) {
      for (String type : CONTENT_TYPES) {
        for (int size : new int[] {1024, 100 * 1024, 10 * 1024 * 1024}) {
          cases.add(Arguments.of(route, type, size));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with content type \"{1}\", {2} bytes: 200")
  @MethodSource("everyTypeSizeAndRoute")
  void anyContentTypeIsJson(PostRoute route, String contentType, int size) {
    String body = bodyOfSize(route, "any-type", size);
    HttpResponse<Buffer> response = post(route, contentType, Buffer.buffer(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    if (route == PostRoute.EVENTS && size <= 100 * 1024) {
      long seq = response.bodyAsJsonObject().getLong("seq");
      JsonObject kept = server.get("/api/events/" + seq).bodyAsJsonObject();
      assertThat(kept.getJsonObject("payload").getString("content")).startsWith(TRICKY).hasSize(
          new JsonObject(body).getJsonObject("payload").getString("content").length());
    }
  }

  @ParameterizedTest(name = "{0}: exactly ingest.maxBodyBytes is taken, one byte more is a JSON 413")
  @EnumSource(PostRoute.class)
  void theLimitIsExact(PostRoute route) {
    String body = bodyOfSize(route, "at-limit", DEFAULT_MAX_BODY);
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(DEFAULT_MAX_BODY);
    assertThat(post(route, "application/x-www-form-urlencoded", Buffer.buffer(body)).statusCode()).isEqualTo(200);
    String over = bodyOfSize(route, "over-limit", DEFAULT_MAX_BODY + 1);
    assertError(post(route, "application/x-www-form-urlencoded", Buffer.buffer(over)), 413, "PAYLOAD_TOO_LARGE");
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}: a chunked body is cut off at the limit with a JSON 413")
  @EnumSource(PostRoute.class)
  void chunkedOverTheLimit(PostRoute route) {
    HttpClientAgent client = vertx.createHttpClient();
    Buffer megabyte = Buffer.buffer("x".repeat(1024 * 1024));
    JsonObject answer = result(client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setPort(server.ingestPort()).setHost("127.0.0.1").setURI(route.path()))
        .compose(request -> {
          request.setChunked(true);
          request.write(Buffer.buffer("{\"pad\":\""));
          for (int i = 0; i < 17; i++) {
            request.write(megabyte);
          }
          request.end(Buffer.buffer("\"}"));
          return request.response();
        })
        .compose(response -> response.body().map(body -> new JsonObject().put("status", response.statusCode())
            .put("type", response.getHeader("content-type")).put("body", body.toJsonObject()))), 30);
    assertThat(answer.getInteger("status")).isEqualTo(413);
    assertThat(answer.getString("type")).startsWith("application/json");
    assertThat(answer.getJsonObject("body").getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    result(client.close());
  }

  @Test
  @DisplayName("Expect: 100-continue with a Content-Length over the limit: a JSON 413 before any body is sent")
  void expectContinueTooLarge() {
    String answer = raw("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (DEFAULT_MAX_BODY + 1) + "\r\nExpect: 100-continue\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"PAYLOAD_TOO_LARGE\"").doesNotContain("100 Continue");
  }

  @Test
  @DisplayName("Expect: 100-continue within the limit: 100 Continue, then the event is taken")
  void expectContinue() {
    String event = TestServer.event("tool:pre", "continue", "");
    String answer = rawAfterContinue("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + event.length()
        + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", event);
    assertThat(answer).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200").contains("\"seq\":");
  }

  @Test
  @DisplayName("errors vertx-web and the HTTP codec make are JSON too: 404, 405, no Host header, headers too large")
  void everyErrorIsJson() {
    assertError(server.get("/no/such/route"), 404, "NOT_FOUND");
    assertError(result(server.http().put(server.ingestPort(), "127.0.0.1", "/api/events").send()), 405,
        "METHOD_NOT_ALLOWED");
    String noHost = raw("POST /api/events HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertThat(noHost).startsWith("HTTP/1.1 400").contains("application/json").contains("\"code\":\"INVALID_REQUEST\"");
    String bigHeaders = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "h".repeat(10_000) + "\r\n\r\n");
    assertThat(bigHeaders).startsWith("HTTP/1.1 431").contains("application/json")
        .contains("\"code\":\"INVALID_REQUEST\"");
    String longUri = raw("GET /" + "u".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(longUri).matches("(?s)HTTP/1\\.[01] 414.*").contains("\"code\":\"INVALID_REQUEST\"");
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a CORS origin that is not allowed gets a JSON 403 FORBIDDEN_ORIGIN, not vertx-web's plain text")
  void corsRefusalIsJson() {
    Vertx other = Vertx.vertx();
    TestServer strict = TestServer.start(other, new JsonObject().put("ingest",
        new JsonObject().put("corsOrigins", new io.vertx.core.json.JsonArray().add("http://allowed.test"))));
    HttpResponse<Buffer> refused = result(strict.http().post(strict.ingestPort(), "127.0.0.1", "/api/events")
        .putHeader("Origin", "http://elsewhere.test").sendBuffer(Buffer.buffer(TestServer.event("tool:pre", "o", ""))));
    assertError(refused, 403, "FORBIDDEN_ORIGIN");
    result(other.close());
  }

  /** A body of exactly {@code size} UTF-8 bytes for the route: its valid body with a padded {@code content}. */
  static String bodyOfSize(PostRoute route, String sessionId, int size) {
    String frame = route.body(sessionId, "\"content\":\"" + TRICKY + "\"");
    int pad = size - frame.getBytes(StandardCharsets.UTF_8).length;
    return route.body(sessionId, "\"content\":\"" + TRICKY + "p".repeat(pad) + "\"");
  }

  private HttpResponse<Buffer> post(PostRoute route, String contentType, Buffer body) {
    HttpRequest<Buffer> request = server.http().post(server.ingestPort(), "127.0.0.1", route.path());
    if (!contentType.isEmpty()) {
      request.putHeader("content-type", contentType);
    }
    return result(request.sendBuffer(body), 30);
  }

  static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("error")).isNotBlank();
  }

  /** Sends raw bytes on a new connection and returns all the server wrote until it closed or 1 answer came. */
  private String raw(String request) {
    return rawAfterContinue(request, null);
  }

  private String rawAfterContinue(String head, String body) {
    Promise<String> answer = Promise.promise();
    StringBuilder received = new StringBuilder();
    NetClient client = vertx.createNetClient();
    result(client.connect(server.ingestPort(), "127.0.0.1").onSuccess((NetSocket socket) -> {
      socket.handler(data -> {
        received.append(data.toString(StandardCharsets.UTF_8));
        if (body != null && received.toString().equals("HTTP/1.1 100 Continue\r\n\r\n")) {
          socket.write(body);
        } else if (answeredInFull(received.toString())) {
          answer.tryComplete(received.toString());
          socket.close();
        }
      });
      socket.closeHandler(v -> answer.tryComplete(received.toString()));
      socket.write(head);
    }));
    try {
      return result(answer.future());
    } finally {
      client.close();
    }
  }

  /** A final (non-100) response whose content-length worth of body has arrived. */
  private static boolean answeredInFull(String received) {
    int start = received.lastIndexOf("HTTP/1.1 ");
    if (start < 0 || received.startsWith("100", start + 9)) {
      return false;
    }
    int headEnd = received.indexOf("\r\n\r\n", start);
    if (headEnd < 0) {
      return false;
    }
    String head = received.substring(start, headEnd).toLowerCase();
    int at = head.indexOf("content-length: ");
    if (at < 0) {
      return false;
    }
    int length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
    return received.getBytes(StandardCharsets.UTF_8).length - received.substring(0, headEnd + 4)
        .getBytes(StandardCharsets.UTF_8).length >= length;
  }
}
