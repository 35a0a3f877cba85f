package dev.hookbus.notify;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static dev.hookbus.support.Await.result;

/**
 * A local HTTP server standing in for a webhook (ntfy, Slack, a script): records every request and answers each
 * with the next scripted status ({@link #NO_ANSWER} keeps the request open forever), 200 once the script ran out.
 */
final class RecordingWebhook {
  static final int NO_ANSWER = -1;

  record Received(String method, String path, MultiMap headers, JsonObject body) {
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(int count, Promise<List<Received>> promise) {
  }

  private RecordingWebhook(HttpServer server) {
    this.server = server;
  }

  static RecordingWebhook start(Vertx vertx) {
    RecordingWebhook[] self = new RecordingWebhook[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
    self[0] = new RecordingWebhook(server);
    result(server.listen(0, "127.0.0.1"));
    return self[0];
  }

  /** The statuses the next requests get, in order. */
  synchronized RecordingWebhook answer(int... statuses) {
    for (int status : statuses) {
      script.add(status);
    }
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Completes once {@code count} requests came, with all received by then. */
  synchronized Future<List<Received>> await(int count) {
    Promise<List<Received>> promise = Promise.promise();
    waiters.add(new Waiter(count, promise));
    settle();
    return promise.future();
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int status;
      synchronized (this) {
        received.add(new Received(request.method().name(), request.uri(), request.headers(),
            body.length() == 0 ? null : body.toJsonObject()));
        status = script.isEmpty() ? 200 : script.poll();
        settle();
      }
      if (status != NO_ANSWER) {
        request.response().setStatusCode(status).end("{}");
      }
    });
  }

  private void settle() {
    waiters.removeIf(waiter -> {
      if (received.size() >= waiter.count) {
        waiter.promise.complete(List.copyOf(received));
        return true;
      }
      return false;
    });
  }
}
