package dev.hookbus.bench;

import dev.hookbus.support.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Small blocking helpers for the benchmark's driver thread (never called on an event loop). */
final class Probe {
  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;

  Probe(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(4));
  }

  /**
   * Runs a request on the probe's one context. Called straight from this non-Vert.x thread, every request would
   * get a fresh context; on a reused keep-alive connection that occasionally left a request unanswered.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> request) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> request.get().onComplete(promise));
    return promise.future();
  }

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed: " + e, e);
    }
  }

  JsonObject get(int port, String path) {
    return await(getLater(port, path), 30);
  }

  private Future<JsonObject> getLater(int port, String path) {
    return onContext(() -> http.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(path))
        .compose(r -> r.send()).compose(r -> r.body()).map(Buffer::toJsonObject));
  }

  /** The sample {@code name} (no labels) of a Prometheus {@code /metrics} page; NaN when it has none. */
  double metric(int port, String name, String token) {
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/metrics");
    if (token != null) {
      options.putHeader("Authorization", BenchAuth.authorization(token));
    }
    String text = await(onContext(() -> http.request(options).compose(r -> r.send()).compose(r -> r.body())), 30)
        .toString();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** @param token null, or the ingest token to send */
  int post(int port, String path, String body, String token) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path);
    if (token != null) {
      options.putHeader("Authorization", BenchAuth.authorization(token));
    }
    return await(onContext(() -> http.request(options).compose(r -> r.send(body))
        .compose(r -> r.body().map(b -> r.statusCode()))), 30);
  }

  /** Asks {@code path} until the answer satisfies {@code condition}, for at most {@code seconds}. */
  JsonObject until(int port, String path, Predicate<JsonObject> condition, long seconds) {
    try {
      return await(Eventually.until(vertx, () -> getLater(port, path), condition, Duration.ofSeconds(seconds)),
          seconds + 30);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(path + " never satisfied the condition: " + e.getCause(), e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double ownCpuSeconds() {
    return cpuSeconds(ProcessHandle.current().pid());
  }

  /** User plus system CPU seconds process {@code pid} has used so far ({@code /proc/<pid>/stat}), or -1. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static int subscribersOn(JsonObject health, String address) {
    JsonObject channels = health.getJsonObject("channelStats", new JsonObject());
    return channels.getInteger(address, 0);
  }

  void close() {
    await(http.close(), 10);
  }

  Vertx vertx() {
    return vertx;
  }
}
