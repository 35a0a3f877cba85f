package dev.hookbus.ingest;

import dev.hookbus.support.CapturedLog;
import dev.hookbus.support.PostRoute;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.hookbus.support.Await.result;
import static dev.hookbus.support.PostRoute.CLAUDE_HOOK;
import static dev.hookbus.support.PostRoute.EVENTS;
import static dev.hookbus.support.PostRoute.STATUS_LINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's hostile corpus, through every POST route of one hookbus with its journal on: each body gets the right
 * JSON error or a 2xx, and afterwards the server still serves, everything accepted before the corpus is still
 * there, the journal (which now holds the hostile bodies that were accepted) replays at a restart, and nothing
 * was logged at WARN or ERROR: a refused body is an answer, not a fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {
  private static final int MAX_BODY = 11 * 1024 * 1024;
  private static final int BODY_TIMEOUT_MS = 4_000;
  private static final String FORM = "application/x-www-form-urlencoded";

  private Vertx vertx;
  private TestServer.Options options;
  private TestServer server;
  private CapturedLog log;
  private final List<Long> acceptedBefore = new ArrayList<>();

  /** One bad (or merely odd) body, the same idea on every route, and the status each route must answer. */
  record Case(String name, Function<PostRoute, byte[]> body, Map<PostRoute, Integer> status, String code) {
    static Case all(String name, Function<PostRoute, String> body, int status, String code) {
      return bytes(name, route -> utf8(body.apply(route)), status, code);
    }

    static Case bytes(String name, Function<PostRoute, byte[]> body, int status, String code) {
      return new Case(name, body, Map.of(EVENTS, status, CLAUDE_HOOK, status, STATUS_LINE, status), code);
    }

    static Case field(String name, String field, int status, String code) {
      return all(name, route -> route.body("hostile", field), status, code);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> corpus() {
    String big = "x".repeat(10 * 1024 * 1024);
    return List.of(
        Case.all("truncated JSON", route -> route.body("hostile", "").substring(0, 40), 400, "INVALID_JSON"),
        Case.all("an empty body", route -> "", 400, "INVALID_JSON"),
        Case.all("only whitespace", route -> " \r\n\t ", 400, "INVALID_JSON"),
        Case.all("garbage after the value", route -> route.body("hostile", "") + " xyz", 400, "INVALID_JSON"),
        Case.all("two values", route -> route.body("hostile", "") + route.body("hostile", ""), 400,
            "INVALID_JSON"),
        Case.all("100 000 [", route -> "[".repeat(100_000), 400, "INVALID_JSON"),
        Case.all("100 000 nested objects", route -> "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), 400,
            "INVALID_JSON"),
        Case.field("nesting deeper than StrictJson.MAX_DEPTH", "\"deep\":" + nested(StrictJson.MAX_DEPTH), 400,
            "INVALID_JSON"),
        Case.field("nesting 150 levels deep: taken", "\"deep\":" + nested(150), 200, null),
        Case.field("a 10 MB string: taken", "\"big\":\"" + big + "\"", 200, null),
        Case.field("10 MB of escapes: taken", "\"big\":\"" + "\\n".repeat(5 * 1024 * 1024) + "\"", 200, null),
        Case.all("a body over ingest.maxBodyBytes", route -> route.body("hostile", "\"big\":\"" + big + big + "\""),
            413, "PAYLOAD_TOO_LARGE"),
        Case.bytes("a raw NUL inside a string", route -> withByte(route, (byte) 0), 400, "INVALID_JSON"),
        Case.bytes("a raw NUL after the value", route -> concat(utf8(route.body("hostile", "")), new byte[] {0}),
            400, "INVALID_JSON"),
        Case.field("an escaped \\u0000 inside a string: taken", "\"nul\":\"a\\u0000b\"", 200, null),
        Case.bytes("invalid UTF-8: a lone 0xFF", route -> withByte(route, (byte) 0xFF), 400, "INVALID_JSON"),
        Case.bytes("invalid UTF-8: an overlong '/' (0xC0 0xAF)",
            route -> withBytes(route, new byte[] {(byte) 0xC0, (byte) 0xAF}), 400, "INVALID_JSON"),
        Case.bytes("invalid UTF-8: a sequence cut short (0xE2 0x82)",
            route -> withBytes(route, new byte[] {(byte) 0xE2, (byte) 0x82}), 400, "INVALID_JSON"),
        Case.bytes("UTF-16 (with its byte-order mark)",
            route -> route.body("hostile", "").getBytes(StandardCharsets.UTF_16), 400, "INVALID_JSON"),
        Case.bytes("a UTF-8 byte-order mark: taken",
            route -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(route.body("hostile", ""))),
            200, null),
        Case.field("an escaped lone surrogate \\ud800", "\"s\":\"a\\ud800b\"", 200, null),
        Case.field("a bad escape \\x", "\"s\":\"a\\xb\"", 400, "INVALID_JSON"),
        Case.field("a duplicated key", "\"dup\":1,\"dup\":2", 400, "INVALID_JSON"),
        Case.field("1e400 (beyond a double)", "\"n\":1e400", 422, "INVALID_EVENT"),
        Case.field("-1e400", "\"n\":-1e400", 422, "INVALID_EVENT"),
        Case.field("a 2 000-digit number", "\"n\":" + "9".repeat(2_000), 400, "INVALID_JSON"),
        Case.field("2^63 as data: taken, exactly", "\"n\":9223372036854775808", 200, null),
        Case.field("-1 as data: taken", "\"n\":-1", 200, null),
        new Case("-1 where a percentage belongs", route -> utf8(switch (route) {
          case EVENTS -> "{\"type\":\"context:update\",\"payload\":{\"sessionId\":\"hostile\",\"percent\":-1}}";
          case STATUS_LINE -> "{\"session_id\":\"hostile\",\"context_window\":{\"used_percentage\":-1}}";
          case CLAUDE_HOOK -> route.body("hostile", "\"percent\":-1");
        }), Map.of(EVENTS, 422, STATUS_LINE, 200, CLAUDE_HOOK, 200), "INVALID_EVENT"),
        new Case("2^63 where a timestamp belongs", route -> utf8(route == EVENTS
            ? "{\"type\":\"tool:pre\",\"timestamp\":9223372036854775808,\"payload\":{\"sessionId\":\"hostile\"}}"
            : route.body("hostile", "\"timestamp\":9223372036854775808")),
            Map.of(EVENTS, 422, STATUS_LINE, 200, CLAUDE_HOOK, 200), "INVALID_EVENT"),
        Case.all("an empty array", route -> "[]", 422, "INVALID_EVENT"),
        Case.all("an array of numbers", route -> "[1,2]", 422, "INVALID_EVENT"),
        Case.all("a string", route -> "\"hello\"", 422, "INVALID_EVENT"),
        Case.all("null", route -> "null", 422, "INVALID_EVENT"),
        Case.all("a number", route -> "42", 422, "INVALID_EVENT"),
        new Case("an array where an object belongs", route -> utf8(switch (route) {
          case EVENTS -> "{\"type\":\"tool:pre\",\"payload\":[]}";
          case CLAUDE_HOOK -> "{\"session_id\":[],\"hook_event_name\":\"PreToolUse\"}";
          case STATUS_LINE -> "{\"session_id\":\"hostile\",\"context_window\":[]}";
        }), Map.of(EVENTS, 422, CLAUDE_HOOK, 422, STATUS_LINE, 200), "INVALID_EVENT"),
        Case.all("an unknown type or hook name: passed through", route -> switch (route) {
          case EVENTS -> "{\"type\":\"future:thing\",\"payload\":{\"sessionId\":\"hostile\"}}";
          case CLAUDE_HOOK -> "{\"session_id\":\"hostile\",\"hook_event_name\":\"HookOf2030\",\"x\":1}";
          case STATUS_LINE -> route.body("hostile", "\"fieldOf2030\":{\"x\":1}");
        }, 200, null),
        Case.all("no event type or hook name", route -> switch (route) {
          case EVENTS -> "{\"payload\":{\"sessionId\":\"hostile\"}}";
          case CLAUDE_HOOK -> "{\"session_id\":\"hostile\"}";
          case STATUS_LINE -> "{\"context_window\":{}}";
        }, 422, "INVALID_EVENT"));
  }

  Stream<Arguments> everyCaseOnEveryRoute() {
    return corpus().stream().flatMap(c -> Stream.of(PostRoute.values()).map(route -> Arguments.of(c, route)));
  }

  @BeforeAll
  void start(@TempDir Path store) {
    vertx = Vertx.vertx();
    options = TestServer.options().store(store).config(new JsonObject()
        .put("ingest", new JsonObject().put("maxBodyBytes", MAX_BODY).put("bodyTimeoutMs", BODY_TIMEOUT_MS))
        .put("sessions", new JsonObject().put("historySize", 64)));
    server = options.start(vertx);
    log = CapturedLog.start();
  }

  @AfterAll
  void stop() {
    log.close();
    result(vertx.close());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("everyCaseOnEveryRoute")
  void theCorpus(Case hostile, PostRoute route) {
    HttpResponse<Buffer> response = send(hostile, route);
    int expected = hostile.status().get(route);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expected);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject answer = response.bodyAsJsonObject();
    if (expected >= 400) {
      assertThat(answer.getString("code")).isEqualTo(hostile.code());
      assertThat(answer.getString("error")).isNotBlank();
    }
  }

  @Test
  @DisplayName("a slow-loris body (one byte a second) on every route: 408 REQUEST_TIMEOUT as JSON, then closed")
  void slowLoris() {
    List<Future<String>> answers = new ArrayList<>();
    for (PostRoute route : PostRoute.values()) {
      answers.add(trickle(route));
    }
    for (Future<String> answer : answers) {
      String text = result(answer, BODY_TIMEOUT_MS / 1000 + 20);
      assertThat(text).startsWith("HTTP/1.1 408").contains("application/json")
          .contains("\"code\":\"REQUEST_TIMEOUT\"").contains("ingest.bodyTimeoutMs");
    }
  }

  @Test
  @DisplayName("a client that closes mid-body on every route: nothing is answered, nothing is logged, all goes on")
  void closesMidBody() {
    NetClient client = vertx.createNetClient();
    for (PostRoute route : PostRoute.values()) {
      String body = route.body("mid-body", "");
      Promise<Void> closed = Promise.promise();
      result(client.connect(server.ingestPort(), "127.0.0.1").compose(socket -> {
        socket.closeHandler(v -> closed.tryComplete());
        return socket.write("POST " + route.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM
                + "\r\nContent-Length: " + (body.length() + 1000) + "\r\n\r\n" + body)
            .compose(written -> socket.close());
      }));
      result(closed.future());
    }
    result(client.close());
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the whole corpus on every route, then: /health, a normal event, everything accepted before it, a restart, no WARN or ERROR")
  void survivesTheCorpus() {
    acceptedBefore.add(server.postEvent("session:start", new JsonObject().put("sessionId", "before-corpus")));
    for (PostRoute route : PostRoute.values()) {
      HttpResponse<Buffer> response = result(server.post(route.path(), route.body("before-corpus", "\"k\":1")));
      assertThat(response.statusCode()).as(route + ": " + response.bodyAsString()).isEqualTo(200);
    }
    acceptedBefore.add(server.postEvent("tool:pre", new JsonObject().put("sessionId", "before-corpus")
        .put("toolName", "Bash")));
    for (Case hostile : corpus()) {
      for (PostRoute route : PostRoute.values()) {
        assertThat(send(hostile, route).statusCode()).isEqualTo(hostile.status().get(route));
      }
    }
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    long after = server.postEvent("tool:post", new JsonObject().put("sessionId", "before-corpus")
        .put("toolName", "Bash"));
    assertSurvivors(after);
    var browser = result(server.rawWebSocket());
    JsonObject history = result(browser.request("hookbus.history", new JsonObject().put("since", 0)))
        .getJsonObject("body");
    assertThat(history.getBoolean("recovered")).isTrue();
    assertThat(history.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("sessionId")))
        .contains("hostile");
    result(browser.close());
    assertThat(log.problems()).isEmpty();

    server.stop();
    server = options.start(vertx);
    assertSurvivors(after);
    assertThat(server.postEvent("session:end", new JsonObject().put("sessionId", "before-corpus"))).isGreaterThan(after);
    assertThat(log.problems()).isEmpty();
  }

  private HttpResponse<Buffer> send(Case hostile, PostRoute route) {
    return result(server.http().post(server.ingestPort(), "127.0.0.1", route.path())
        .putHeader("content-type", FORM).sendBuffer(Buffer.buffer(hostile.body().apply(route))), 30);
  }

  private void assertSurvivors(long lastSeq) {
    for (long seq : acceptedBefore) {
      HttpResponse<Buffer> kept = server.get("/api/events/" + seq);
      assertThat(kept.statusCode()).as("seq " + seq + ": " + kept.bodyAsString()).isEqualTo(200);
      assertThat(kept.bodyAsJsonObject().getString("sessionId")).isEqualTo("before-corpus");
    }
    JsonObject sessions = server.sessions();
    assertThat(sessions.getLong("seq")).isGreaterThanOrEqualTo(lastSeq);
    assertThat(sessions.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("sessionId")))
        .contains("before-corpus", "hostile");
  }

  /** Sends the head and then one byte of the body a second; completes with everything the server wrote. */
  private Future<String> trickle(PostRoute route) {
    NetClient client = vertx.createNetClient();
    byte[] body = utf8(route.body("loris", ""));
    Promise<String> answer = Promise.promise();
    StringBuilder received = new StringBuilder();
    client.connect(server.ingestPort(), "127.0.0.1").onSuccess(socket -> {
      int[] sent = {0};
      long timer = vertx.setPeriodic(1_000, id -> {
        if (sent[0] < body.length) {
          socket.write(Buffer.buffer(new byte[] {body[sent[0]++]}));
        }
      });
      socket.handler(data -> received.append(data.toString(StandardCharsets.UTF_8)));
      socket.closeHandler(v -> {
        vertx.cancelTimer(timer);
        answer.tryComplete(received.toString());
        client.close();
      });
      socket.write("POST " + route.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM
          + "\r\nContent-Length: " + body.length + "\r\n\r\n");
    }).onFailure(answer::tryFail);
    return answer.future();
  }

  private static String nested(int levels) {
    return "[".repeat(levels) + "]".repeat(levels);
  }

  /** The route's valid body with one raw byte inside a string value. */
  private static byte[] withByte(PostRoute route, byte raw) {
    return withBytes(route, new byte[] {raw});
  }

  private static byte[] withBytes(PostRoute route, byte[] raw) {
    String body = route.body("hostile", "\"s\":\"a@b\"");
    int at = body.indexOf('@');
    return concat(concat(utf8(body.substring(0, at)), raw), utf8(body.substring(at + 1)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
