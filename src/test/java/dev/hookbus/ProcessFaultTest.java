package dev.hookbus;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.RawWebSocketBridgeClient;
import dev.hookbus.support.HookbusProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults only a real process suffers: kill -9 under load, SIGTERM, a refused start. */
@ExtendWith(VertxExtension.class)
class ProcessFaultTest {
  private static final int WORKERS = 8;
  private static final int KILL_AFTER_ACKS = 600;

  @TempDir
  Path dir;

  private final List<HookbusProcess> started = new ArrayList<>();

  @AfterEach
  void endProcesses() {
    started.forEach(HookbusProcess::destroyIfAlive);
  }

  private HookbusProcess start(String config) throws IOException, InterruptedException {
    HookbusProcess process = HookbusProcess.start(dir, config);
    started.add(process);
    return process;
  }

  private String config(String fsync) {
    return config(fsync, 10_000);
  }

  private String config(String fsync, long checkpointEvents) {
    return new JsonObject()
        .put("ingest", new JsonObject().put("port", 0).put("instances", 1))
        .put("bridge", new JsonObject().put("port", 0))
        .put("sessions", new JsonObject().put("historySize", 100))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString()).put("fsync", fsync)
            .put("checkpointEvents", checkpointEvents))
        .encode();
  }

  @Test
  @DisplayName("kill -9 while checkpoints are written all the time: the restart from the checkpoint has every acked "
      + "event and exactly the state a replay of the whole journal gives")
  void killNineDuringCheckpoints(Vertx vertx) throws Exception {
    String config = config("batch", 7);
    HookbusProcess first = start(config);
    assertThat(first.listening()).as(first.log()).isTrue();
    Map<Long, String> acked = load(vertx, first, first::kill9);
    first.waitForExit();

    HookbusProcess second = start(config);
    assertThat(second.listening()).as(second.log()).isTrue();
    assertThat(second.log()).containsPattern("checkpoint at [1-9]");
    WebClient client = WebClient.create(vertx);
    List<JsonObject> journal = readAll(client, second.ingestPort());
    acked.forEach((seq, id) -> assertThat(journal.get((int) (seq - 1)).getJsonObject("payload").getString("id"))
        .isEqualTo(id));
    JsonObject fromCheckpoint = sessions(client, second.ingestPort());
    second.kill9();
    second.waitForExit();

    java.nio.file.Files.delete(dir.resolve("data").resolve("checkpoint"));
    HookbusProcess third = start(config);
    assertThat(third.listening()).as(third.log()).isTrue();
    assertThat(third.log()).contains("checkpoint at none");
    assertThat(sessions(client, third.ingestPort())).isEqualTo(fromCheckpoint);
    third.sigterm();
    assertThat(third.waitForExit()).isZero();
  }

  private static JsonObject sessions(WebClient client, int port) {
    return result(client.get(port, "127.0.0.1", "/api/sessions").send()).bodyAsJsonObject();
  }

  @Test
  @DisplayName("kill -9 under POST load: after restart every acked event is there with its seq, seqs are contiguous, "
      + "and a subscriber resuming from its last seq gets exactly the missing ones")
  void killNineUnderLoad(Vertx vertx) throws Exception {
    HookbusProcess first = start(config("batch"));
    assertThat(first.listening()).as(first.log()).isTrue();
    BridgeClient subscriber = result(RawWebSocketBridgeClient.connect(vertx, first.bridgePort()));
    result(subscriber.register(Addresses.EVENTS));
    String epoch = result(subscriber.request(Addresses.SYNC, new JsonObject())).getJsonObject("body")
        .getString("epoch");

    Map<Long, String> acked = load(vertx, first, first::kill9);
    first.waitForExit();
    assertThat(acked.size()).isGreaterThanOrEqualTo(KILL_AFTER_ACKS);

    HookbusProcess second = start(config("batch"));
    assertThat(second.listening()).as(second.log()).isTrue();
    WebClient client = WebClient.create(vertx);
    List<JsonObject> journal = readAll(client, second.ingestPort());
    List<Long> seqs = journal.stream().map(e -> e.getLong("seq")).toList();
    assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    acked.forEach((seq, id) -> {
      assertThat(seq).isLessThanOrEqualTo(seqs.size());
      assertThat(journal.get((int) (seq - 1)).getJsonObject("payload").getString("id")).isEqualTo(id);
    });

    List<Long> live = subscriber.bodies(Addresses.EVENTS).stream().map(e -> e.getLong("seq")).toList();
    long last = live.get(live.size() - 1);
    assertThat(live).isEqualTo(LongStream.rangeClosed(live.get(0), last).boxed().toList());
    BridgeClient resumed = result(RawWebSocketBridgeClient.connect(vertx, second.bridgePort()));
    JsonObject history = result(resumed.request(Addresses.HISTORY, new JsonObject().put("since", last)))
        .getJsonObject("body");
    assertThat(history.getBoolean("recovered")).isTrue();
    assertThat(history.getString("epoch")).isEqualTo(epoch);
    JsonArray missed = history.getJsonArray("events");
    assertThat(missed.getList()).hasSize(seqs.size() - (int) last);
    for (int i = 0; i < missed.size(); i++) {
      assertThat(missed.getJsonObject(i)).isEqualTo(journal.get((int) last + i));
    }
    resumed.close();
    second.sigterm();
    assertThat(second.waitForExit()).isZero();
  }

  @Test
  @DisplayName("SIGTERM under load: in-flight requests finish or get 503 SHUTTING_DOWN, the journal keeps every "
      + "acked event, exit code 0")
  void sigtermUnderLoad(Vertx vertx) throws Exception {
    HookbusProcess first = start(config("always"));
    Map<Long, String> acked = load(vertx, first, first::sigterm);
    assertThat(first.waitForExit()).as(first.log()).isZero();
    assertThat(first.log()).contains("hookbus stopped");

    HookbusProcess second = start(config("always"));
    List<JsonObject> journal = readAll(WebClient.create(vertx), second.ingestPort());
    acked.forEach((seq, id) ->
        assertThat(journal.get((int) (seq - 1)).getJsonObject("payload").getString("id")).isEqualTo(id));
    second.sigterm();
    assertThat(second.waitForExit()).isZero();
  }

  @Test
  @DisplayName("an unwritable store path stops the start with a clear error and a non-zero exit code")
  void unwritableStore() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String config = new JsonObject().put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", file.resolve("data").toString())).encode();
    HookbusProcess process = start(config);
    assertThat(process.waitForExit()).isNotZero();
    assertThat(process.listening()).isFalse();
    assertThat(process.log()).contains("the journal cannot be used").contains("a-file");
  }

  /**
   * WORKERS clients post back to back (one of them in batches of 5) and record every acked seq with the id it
   * carried; once {@code KILL_AFTER_ACKS} are acked {@code fault} runs while requests are in flight.
   */
  private static Map<Long, String> load(Vertx vertx, HookbusProcess target, Runnable fault)
      throws InterruptedException {
    WebClient client = WebClient.create(vertx);
    Map<Long, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean faulted = new AtomicBoolean();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(WORKERS);
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      vertx.runOnContext(v -> post(client, target.ingestPort(), worker, 0, acked, faulted, refused, fault, done));
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    client.close();
    return acked;
  }

  private static void post(WebClient client, int port, int worker, int n, Map<Long, String> acked,
                           AtomicBoolean faulted, AtomicInteger refused, Runnable fault, CountDownLatch done) {
    int count = worker == 0 ? 5 : 1;
    List<String> ids = new ArrayList<>();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < count; i++) {
      String id = worker + "-" + n + "-" + i;
      ids.add(id);
      batch.add(new JsonObject().put("type", "tool:pre").put("payload", new JsonObject()
          .put("sessionId", "load-" + worker).put("toolName", "Bash").put("id", id)));
    }
    Buffer body = count == 1 ? batch.getJsonObject(0).toBuffer() : batch.toBuffer();
    client.post(port, "127.0.0.1", "/api/events").sendBuffer(body).onComplete(result -> {
      if (result.succeeded() && result.result().statusCode() == 200) {
        JsonObject reply = result.result().bodyAsJsonObject();
        if (count == 1) {
          acked.put(reply.getLong("seq"), ids.get(0));
        } else {
          JsonArray seqs = reply.getJsonArray("seqs");
          for (int i = 0; i < count; i++) {
            acked.put(seqs.getLong(i), ids.get(i));
          }
        }
      } else if (result.succeeded()) {
        refused.incrementAndGet();
      }
      if (acked.size() >= KILL_AFTER_ACKS && faulted.compareAndSet(false, true)) {
        fault.run();
      }
      if (result.failed() || result.result().statusCode() == 503) {
        done.countDown();
      } else {
        post(client, port, worker, n + 1, acked, faulted, refused, fault, done);
      }
    });
  }

  private static List<JsonObject> readAll(WebClient client, int port) {
    List<JsonObject> all = new ArrayList<>();
    Long cursor = 0L;
    while (cursor != null) {
      JsonObject page = result(client.get(port, "127.0.0.1", "/api/events?limit=1000&after=" + cursor).send())
          .bodyAsJsonObject();
      page.getJsonArray("events").forEach(e -> all.add((JsonObject) e));
      cursor = page.getLong("next");
    }
    return all;
  }
}
