package dev.hookbus.store;

import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.hookbus.support.Await.result;
import static dev.hookbus.support.TestServer.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class DurabilityTest {
  @TempDir
  Path dir;

  private TestServer.Options options() {
    return TestServer.options().store(dir)
        .config(new JsonObject().put("sessions", new JsonObject().put("historySize", 4)));
  }

  private static String workload() {
    return "[" + String.join(",",
        event("session:start", "s1", ",\"cwd\":\"/repo\""),
        event("subagent:start", "s1", ",\"agentId\":\"a1\",\"agentType\":\"Explore\""),
        event("tool:pre", "s1", ",\"toolName\":\"Bash\""),
        event("context:update", "s1", ",\"percent\":42,\"tokens\":1234"),
        event("tool:pre", "s2", ",\"toolName\":\"Read\""),
        event("permission:request", "s2", ",\"toolName\":\"Write\""),
        event("session:end", "s2", "")) + "]";
  }

  @Test
  @DisplayName("a restart restores sessions, agents, tables and seq; history and GET /api/events reach into the journal")
  void restartRestoresEverything(Vertx vertx) {
    TestServer hub = options().start(vertx);
    assertThat(hub.postEvents(workload()).statusCode()).isEqualTo(200);
    JsonObject before = hub.sync();
    hub.stop();

    TestServer again = options().start(vertx);
    JsonObject after = again.sync();
    assertThat(after).isEqualTo(before);
    assertThat(after.getJsonArray("sessions")).hasSize(1);
    long seq = after.getLong("seq");
    HttpResponse<Buffer> next = again.postEvents(event("tool:post", "s1", ""));
    assertThat(next.bodyAsJsonObject().getLong("seq")).isEqualTo(seq + 1);

    JsonObject history = again.history(0);
    assertThat(history.getBoolean("recovered")).isTrue();
    assertThat(history.getString("epoch")).isEqualTo(before.getString("epoch"));
    assertThat(seqs(history.getJsonArray("events"))).isEqualTo(LongStream.rangeClosed(1, seq + 1).boxed().toList());

    JsonObject first = again.get("/api/events/1").bodyAsJsonObject();
    assertThat(first.getString("type")).isEqualTo("session:start");
    assertThat(again.get("/api/events/" + (seq + 1)).bodyAsJsonObject().getString("type")).isEqualTo("tool:post");
    assertThat(again.get("/api/events/999").statusCode()).isEqualTo(404);
    again.stop();
  }

  @Test
  @DisplayName("a sync under a stream of posts is answered, and shows only what the journal has")
  void syncUnderLoad(Vertx vertx) {
    TestServer hub = options().start(vertx);
    WebClient client = WebClient.create(vertx);
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      posts.add(client.post(hub.ingestPort(), "127.0.0.1", "/api/events")
          .sendBuffer(Buffer.buffer(event("tool:pre", "s" + (i % 3), ",\"toolName\":\"Bash\""))));
    }
    JsonObject sync = hub.sync();
    result(Future.all(posts));
    JsonObject history = hub.history(0);
    assertThat(sync.getLong("seq")).isBetween(0L, history.getLong("seq"));
    JsonObject after = hub.sync();
    assertThat(after.getLong("seq")).isEqualTo(history.getLong("seq"));
    client.close();
    hub.stop();
  }

  @Test
  @DisplayName("under concurrent posts envelopes leave in seq order, with no gap, whatever the fsync mode")
  void publishOrder(Vertx vertx) {
    for (String mode : List.of("never", "always", "batch")) {
      TestServer.Options options = TestServer.options().store(dir.resolve(mode))
          .config(new JsonObject().put("store", new JsonObject().put("fsync", mode)));
      TestServer hub = options.start(vertx);
      List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      result(vertx.eventBus().<JsonObject>consumer(dev.hookbus.bus.Addresses.EVENTS,
          m -> seen.add(m.body().getLong("seq"))).completion());
      WebClient client = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions(),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
      List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        posts.add(client.post(hub.ingestPort(), "127.0.0.1", "/api/events")
            .sendBuffer(Buffer.buffer(event("tool:pre", "s" + (i % 10), ""))));
      }
      result(Future.all(posts));
      long last = hub.sync().getLong("seq");
      assertThat(seen).as(mode).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
      client.close();
      hub.stop();
    }
  }

  @Test
  @DisplayName("GET /api/events pages by cursor and filters by session and type")
  void paging(Vertx vertx) {
    TestServer hub = options().start(vertx);
    hub.postEvents(workload());
    List<Long> all = new ArrayList<>();
    Long cursor = 0L;
    while (cursor != null) {
      JsonObject page = hub.get("/api/events?limit=3&after=" + cursor).bodyAsJsonObject();
      all.addAll(seqs(page.getJsonArray("events")));
      cursor = page.getLong("next");
    }
    long last = hub.sync().getLong("seq");
    assertThat(all).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
    JsonObject s2Tools = hub.get("/api/events?session=s2&type=tool:pre").bodyAsJsonObject();
    assertThat(s2Tools.getJsonArray("events")).hasSize(1);
    assertThat(s2Tools.getValue("next")).isNull();
    assertThat(hub.get("/api/events?limit=x").statusCode()).isEqualTo(400);
    hub.stop();
  }

  @Test
  @DisplayName("retention keeps about maxEvents: older events go, history then says recovered:false for them")
  void retention(Vertx vertx) {
    TestServer.Options options = TestServer.options().store(dir).config(new JsonObject()
        .put("sessions", new JsonObject().put("historySize", 10))
        .put("store", new JsonObject().put("maxEvents", 100).put("fsync", "never")));
    TestServer hub = options.start(vertx);
    for (int i = 0; i < 30; i++) {
      JsonArray batch = new JsonArray();
      for (int j = 0; j < 10; j++) {
        batch.add(new JsonObject(event("tool:pre", "s1", "")));
      }
      assertThat(hub.postEvents(batch.encode()).statusCode()).isEqualTo(200);
    }
    hub.stop();
    TestServer again = options.start(vertx);
    long last = again.sync().getLong("seq");
    JsonObject page = again.get("/api/events?limit=1000").bodyAsJsonObject();
    List<Long> kept = seqs(page.getJsonArray("events"));
    assertThat(kept.get(kept.size() - 1)).isEqualTo(last);
    assertThat(kept.size()).isBetween(100, 100 + 100 / 8 + 10);
    assertThat(again.history(0).getBoolean("recovered")).isFalse();
    assertThat(again.history(kept.get(0)).getBoolean("recovered")).isTrue();
    again.stop();
  }

  @Test
  @DisplayName("a wiped store starts a new epoch")
  void wipedStoreNewEpoch(Vertx vertx) throws IOException {
    TestServer hub = options().start(vertx);
    hub.postEvents(workload());
    String epoch = hub.sync().getString("epoch");
    hub.stop();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    TestServer wiped = options().start(vertx);
    JsonObject sync = wiped.sync();
    assertThat(sync.getString("epoch")).isNotEqualTo(epoch);
    assertThat(sync.getLong("seq")).isZero();
    assertThat(wiped.history(3).getString("epoch")).isEqualTo(sync.getString("epoch"));
    wiped.stop();
  }

  @Test
  @DisplayName("disk full at run time: 503 STORE_UNAVAILABLE, nothing half-kept, and ingest recovers when space returns")
  void diskFull(Vertx vertx) {
    FillingDisk disk = new FillingDisk();
    TestServer hub = options().disk(disk).start(vertx);
    hub.postEvents(workload());
    JsonObject before = hub.sync();
    disk.full(true);
    HttpResponse<Buffer> refused = hub.postEvents(event("tool:pre", "s1", ",\"toolName\":\"Lost\""));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getString("code")).isIn("STORE_UNAVAILABLE");
    assertThat(hub.sync()).isEqualTo(before);
    disk.full(false);
    HttpResponse<Buffer> accepted = postUntilAccepted(hub, event("tool:pre", "s1", ",\"toolName\":\"Kept\""));
    assertThat(accepted.bodyAsJsonObject().getLong("seq")).isEqualTo(before.getLong("seq") + 1);
    hub.stop();

    TestServer again = options().start(vertx);
    JsonArray events = again.history(0).getJsonArray("events");
    assertThat(seqs(events)).isEqualTo(LongStream.rangeClosed(1, before.getLong("seq") + 1).boxed().toList());
    assertThat(events.encode()).doesNotContain("Lost").contains("Kept");
    again.stop();
  }

  @Test
  @DisplayName("a torn record at the end of the journal is dropped at start; everything before it is kept")
  void tornTail(Vertx vertx) throws IOException {
    TestServer hub = options().start(vertx);
    hub.postEvents(workload());
    JsonObject before = hub.sync();
    hub.stop();
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 7, 7, 7}));
    }
    TestServer again = options().start(vertx);
    assertThat(again.sync()).isEqualTo(before);
    again.stop();
  }

  @Test
  @DisplayName("a store path that cannot be written fails the start with a message naming it")
  void unwritableAtStart(Vertx vertx) throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    TestServer.Options options = TestServer.options().store(file.resolve("data"));
    assertThatThrownBy(() -> options.start(vertx))
        .hasMessageContaining("not a writable directory").hasMessageContaining("not-a-dir");
  }

  private static HttpResponse<Buffer> postUntilAccepted(TestServer hub, String body) {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<Buffer> response = hub.postEvents(body);
      if (response.statusCode() == 200 || attempt > 200) {
        return response;
      }
      Thread.onSpinWait();
    }
  }

  static List<Long> seqs(JsonArray envelopes) {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      seqs.add(envelopes.getJsonObject(i).getLong("seq"));
    }
    return seqs;
  }
}
