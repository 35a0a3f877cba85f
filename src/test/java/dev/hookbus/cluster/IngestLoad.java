package dev.hookbus.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sustained POST load: {@code workers} loops, each posting one event at a time, numbered {@code n}; records
 * which n got a 2xx and with which seq. A refused event is not retried, so an acknowledged n appears once.
 */
final class IngestLoad {
  private final Vertx vertx;
  private final WebClient http;
  private final int port;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<Integer, Long> acked = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicLong lastAckAt = new AtomicLong();
  private final List<Future<Void>> done = new ArrayList<>();
  private volatile boolean stopped;
  private final AtomicLong longestGap = new AtomicLong();
  private volatile long watchFrom = Long.MAX_VALUE;
  private final List<Map.Entry<Integer, Promise<Void>>> waiting = new CopyOnWriteArrayList<>();

  private final int base;

  IngestLoad(Vertx vertx, WebClient http, int port) {
    this(vertx, http, port, 0);
  }

  /** Numbers its events from {@code base + 1}, so that several loads never send the same n. */
  IngestLoad(Vertx vertx, WebClient http, int port, int base) {
    this.vertx = vertx;
    this.http = http;
    this.port = port;
    this.base = base;
  }

  IngestLoad start(int workers) {
    for (int i = 0; i < workers; i++) {
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      vertx.runOnContext(v -> loop(finished));
    }
    return this;
  }

  private void loop(Promise<Void> finished) {
    if (stopped) {
      finished.complete();
      return;
    }
    int n = base + next.incrementAndGet();
    JsonObject event = new JsonObject().put("type", "tool:pre").put("payload",
        new JsonObject().put("sessionId", "load-" + n % 7).put("toolName", "Bash").put("n", n));
    http.post(port, "127.0.0.1", "/api/events").sendJsonObject(event).onComplete(response -> {
      if (response.succeeded() && response.result().statusCode() == 200) {
        long now = System.currentTimeMillis();
        acked.put(n, response.result().bodyAsJsonObject().getLong("seq"));
        releaseWaiting();
        long previous = lastAckAt.getAndSet(now);
        if (now >= watchFrom) {
          longestGap.accumulateAndGet(now - Math.max(previous, watchFrom), Math::max);
        }
        loop(finished);
      } else {
        refused.incrementAndGet();
        vertx.setTimer(10, t -> loop(finished));
      }
    });
  }

  /** Completes once {@code count} events in all are acknowledged (on the acknowledgement that makes it so). */
  Future<Void> acknowledged(int count) {
    Promise<Void> reached = Promise.promise();
    waiting.add(Map.entry(count, reached));
    releaseWaiting();
    return reached.future();
  }

  private void releaseWaiting() {
    int count = acked.size();
    waiting.removeIf(w -> {
      if (count < w.getKey()) {
        return false;
      }
      w.getValue().tryComplete();
      return true;
    });
  }

  /** From now on, note the longest time without any 2xx. */
  void watch(long from) {
    watchFrom = from;
  }

  /** The longest stretch without a 2xx since {@link #watch}: the failover time as hooks see it. */
  long longestGapSinceWatch() {
    return longestGap.get();
  }

  Future<Void> stop() {
    stopped = true;
    return Future.all(done).mapEmpty();
  }

  Map<Integer, Long> acked() {
    return acked;
  }

  int refused() {
    return refused.get();
  }
}
