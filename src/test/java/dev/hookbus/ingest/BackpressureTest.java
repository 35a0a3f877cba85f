package dev.hookbus.ingest;

import dev.hookbus.store.Disk;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over a bound (the journal's unkept bytes, requests waiting for the actor) new events get 503 OVERLOADED with
 * Retry-After, at once; once it drains they are taken again, and every event that got a 2xx is kept.
 */
class BackpressureTest {
  private static final int REQUESTS = 60;

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;
  private final CountDownLatch held = new CountDownLatch(1);
  /** A disk that does not write until the test lets it: the journal falls behind. */
  private final Disk slowDisk = (channel, buffer) -> {
    try {
      held.await();
    } catch (InterruptedException e) {
      throw new InterruptedIOException("interrupted");
    }
    Disk.REAL.write(channel, buffer);
  };

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    held.countDown();
    server.stop();
    result(vertx.close());
  }

  @Test
  @DisplayName("a journal that falls behind sessions.maxUnkeptBytes: OVERLOADED, then 200s again, nothing acked lost")
  void journalBehind() {
    server = TestServer.options().config(new JsonObject()
            .put("sessions", new JsonObject().put("maxUnkeptBytes", 2048)))
        .store(dir).disk(slowDisk).start(vertx);
    overloadThenDrain();
  }

  @Test
  @DisplayName("more than ingest.maxInFlight requests waiting for the actor: OVERLOADED, then 200s again")
  void tooManyInFlight() {
    server = TestServer.options().config(new JsonObject().put("ingest", new JsonObject().put("maxInFlight", 4)))
        .store(dir).disk(slowDisk).start(vertx);
    overloadThenDrain();
  }

  private void overloadThenDrain() {
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    Promise<Void> mostAnswered = Promise.promise();
    for (int i = 0; i < REQUESTS; i++) {
      Future<HttpResponse<Buffer>> answer = server.post("/api/events", event(i));
      answer.onComplete(done -> {
        if (answered.incrementAndGet() == REQUESTS / 2) {
          mostAnswered.complete();
        }
      });
      answers.add(answer);
    }
    // The journal writes nothing yet, so whatever is answered now was refused.
    result(mostAnswered.future());
    List<HttpResponse<Buffer>> early = answers.stream().filter(Future::isComplete).map(Future::result).toList();
    assertThat(early).isNotEmpty().allSatisfy(response -> {
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.getHeader("retry-after")).isEqualTo("1");
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("OVERLOADED");
    });

    held.countDown();
    List<Long> acked = new ArrayList<>();
    int refused = 0;
    for (Future<HttpResponse<Buffer>> answer : answers) {
      HttpResponse<Buffer> response = result(answer);
      if (response.statusCode() == 200) {
        acked.add(response.bodyAsJsonObject().getLong("seq"));
      } else {
        assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("OVERLOADED");
        refused++;
      }
    }
    assertThat(acked).isNotEmpty();
    assertThat(refused).isGreaterThanOrEqualTo(early.size());

    long after = server.postEvent("tool:pre", new JsonObject().put("sessionId", "bp").put("toolName", "After"));
    acked.add(after);
    JsonArray kept = server.get("/api/events?after=0&limit=1000").bodyAsJsonObject().getJsonArray("events");
    List<Long> keptSeqs = kept.stream().map(e -> ((JsonObject) e).getLong("seq")).toList();
    assertThat(keptSeqs).containsAll(acked);
    assertThat(server.get("/metrics").bodyAsString())
        .containsPattern("hookbus_events_rejected_total\\{code=\"OVERLOADED\"[^}]*} " + refused + "\\.0");
  }

  private static JsonObject event(int i) {
    return new JsonObject().put("type", "tool:pre")
        .put("payload", new JsonObject().put("sessionId", "bp").put("toolName", "T" + i));
  }
}
