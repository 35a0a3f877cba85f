package dev.hookbus.bench;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.http.PoolOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough ingest-rate probe, not a test: {@code IngestBench <off|never|batch|always> [clients] [seconds]} starts
 * hookbus in this JVM (journal in a temp dir) and has {@code clients} HTTP clients POST single events back to back
 * over keep-alive connections; prints acked events per second after a one-second warm-up.
 */
public final class IngestBench {
  private IngestBench() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "batch";
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = Files.createTempDirectory("hookbus-bench");
    TestServer.Options options = TestServer.options().config(new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("store", new JsonObject().put("enabled", false).put("fsync", mode.equals("off") ? "batch" : mode)));
    if (!mode.equals("off")) {
      options.store(dir);
    }
    Vertx vertx = Vertx.vertx();
    TestServer server = options.start(vertx);
    WebClient client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(clients));
    AtomicLong acked = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 1);
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      Buffer body = new JsonObject().put("type", "tool:pre").put("payload", new JsonObject()
          .put("sessionId", "bench-" + (c % 8)).put("toolName", "Bash").put("toolInput",
              new JsonObject().put("command", "ls -la /tmp"))).toBuffer();
      vertx.runOnContext(v -> loop(client, server.ingestPort(), body, acked, end, done));
    }
    Thread.sleep(1000);
    long start = acked.get();
    long t0 = System.nanoTime();
    done.await();
    double rate = (acked.get() - start) / ((System.nanoTime() - t0) / 1e9);
    System.out.printf("journal=%s clients=%d: %.0f events/s (%d acked)%n", mode, clients, rate, acked.get());
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static void loop(WebClient client, int port, Buffer body, AtomicLong acked, long end,
                           CountDownLatch done) {
    if (System.nanoTime() > end) {
      done.countDown();
      return;
    }
    client.post(port, "127.0.0.1", "/api/events").sendBuffer(body).onComplete(r -> {
      if (r.succeeded() && r.result().statusCode() == 200) {
        acked.incrementAndGet();
      }
      loop(client, port, body, acked, end, done);
    });
  }
}
