package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory history holds the broadcast copies within {@code sessions.historyBytes}; whole envelopes and what
 * fell out of the window come from the journal; history replies come in pages a socket can take.
 */
class HistoryBudgetTest {
  private static final int CONTENT_CHARS = 20_000;
  private static final JsonObject SMALL_WINDOW = new JsonObject()
      .put("sessions", new JsonObject().put("historyBytes", 64 * 1024))
      .put("broadcast", new JsonObject().put("maxFieldChars", 1000));

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    server.stop();
    result(vertx.close());
  }

  @Test
  @DisplayName("with the journal: the window stays in its byte budget, every seq is read whole and replayed in pages")
  void journalBehindTheWindow() {
    server = TestServer.options().config(SMALL_WINDOW).store(dir).start(vertx);
    long last = postWrites(100);

    JsonObject stats = stats();
    assertThat(stats.getLong("historyBytes")).isLessThanOrEqualTo(64 * 1024).isPositive();
    assertThat(stats.getInteger("historySize")).isLessThan((int) last);

    for (long seq : List.of(2L, last)) {
      JsonObject full = server.get("/api/events/" + seq).bodyAsJsonObject();
      assertThat(full.containsKey("truncated")).as("seq %d", seq).isFalse();
      assertThat(content(full)).hasSize(CONTENT_CHARS);
    }

    BridgeClient client = result(server.rawWebSocket());
    List<JsonObject> replayed = replay(client, 0, last);
    assertThat(replayed).extracting(e -> e.getLong("seq")).containsExactlyElementsOf(seqs(1, last));
    JsonObject write = replayed.get(1);
    assertThat(write.getBoolean("truncated")).isTrue();
    assertThat(content(write)).startsWith("x".repeat(1000)).hasSizeLessThan(1100);

    JsonArray listed = server.get("/api/events?after=0&limit=1000").bodyAsJsonObject().getJsonArray("events");
    assertThat(listed).hasSize((int) last);
    assertThat(content(listed.getJsonObject(1))).hasSizeLessThan(1100);
  }

  @Test
  @DisplayName("without a journal the window keeps the cut copies: that is all GET /api/events/<seq> has, and says so")
  void noJournal() {
    server = TestServer.start(vertx, SMALL_WINDOW);
    long last = postWrites(100);

    JsonObject kept = server.get("/api/events/" + last).bodyAsJsonObject();
    assertThat(kept.getBoolean("truncated")).isTrue();
    assertThat(content(kept)).hasSizeLessThan(1100);
    assertThat(server.get("/api/events/2").statusCode()).isEqualTo(404);
    assertThat(server.history(0).getBoolean("recovered")).isFalse();
    assertThat(stats().getLong("historyBytes")).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  @DisplayName("a backlog of cut envelopes larger than a socket's queue is replayed whole, page by page")
  void pagesFitASocket() {
    server = TestServer.start(vertx, new JsonObject());
    String big = "y".repeat(200_000);
    server.postEvent("session:start", new JsonObject().put("sessionId", "w"));
    long last = 0;
    for (int i = 0; i < 300; i++) {
      last = server.postEvent("tool:post", new JsonObject().put("sessionId", "w").put("toolName", "Write")
          .put("content", big));
    }
    BridgeClient client = result(server.rawWebSocket());
    List<JsonObject> replayed = replay(client, 0, last);
    assertThat(replayed).extracting(e -> e.getLong("seq")).containsExactlyElementsOf(seqs(1, last));

    JsonObject oldClient = result(client.request(Addresses.HISTORY, new JsonObject().put("since", 0)))
        .getJsonObject("body");
    assertThat(oldClient.getBoolean("recovered")).isTrue();
    assertThat(oldClient.getBoolean("more")).isTrue();
    assertThat(oldClient.getLong("seq")).isEqualTo(last);
  }

  /** Asks hookbus.history as the dashboard does: again after the last envelope while more is true. */
  private static List<JsonObject> replay(BridgeClient client, long since, long last) {
    List<JsonObject> all = new ArrayList<>();
    long cursor = since;
    boolean more = true;
    while (more) {
      JsonObject reply = result(client.request(Addresses.HISTORY, new JsonObject().put("since", cursor)));
      assertThat(reply.getString("type")).as("reply after %d: %s", cursor, reply.getString("body")).isEqualTo("rec");
      JsonObject page = reply.getJsonObject("body");
      assertThat(page.getBoolean("recovered")).isTrue();
      assertThat(page.getLong("seq")).isEqualTo(last);
      JsonArray events = page.getJsonArray("events");
      events.forEach(e -> all.add((JsonObject) e));
      more = page.getBoolean("more");
      if (more) {
        assertThat(events).isNotEmpty();
        cursor = events.getJsonObject(events.size() - 1).getLong("seq");
      }
    }
    return all;
  }

  private long postWrites(int count) {
    String content = "x".repeat(CONTENT_CHARS);
    long last = 0;
    for (int i = 0; i < count; i++) {
      last = server.postEvent("tool:post", new JsonObject().put("sessionId", "w").put("toolName", "Write")
          .put("content", content));
    }
    return last;
  }

  private JsonObject stats() {
    return result(vertx.eventBus().<JsonObject>request(Addresses.STATE_STATS, null)).body();
  }

  private static String content(JsonObject envelope) {
    return envelope.getJsonObject("payload").getString("content");
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }
}
