package dev.hookbus.claude;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A browser stand-in: raw WebSocket to {@code /eventbus/websocket} (binary frames), registered on one address. */
final class BridgeSubscriber {
  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private WebSocket socket;

  private record Waiter(Predicate<JsonObject> until, Promise<JsonObject> promise) {
  }

  static Future<BridgeSubscriber> connect(Vertx vertx, int port, String address) {
    BridgeSubscriber subscriber = new BridgeSubscriber();
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 22)
            .setMaxMessageSize(1 << 24))
        .connect(port, "127.0.0.1", "/eventbus/websocket")
        .compose(ws -> {
          subscriber.socket = ws;
          ws.handler(buffer -> subscriber.onFrame(buffer.toJsonObject()));
          return ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
        })
        .map(subscriber);
  }

  /** Completes with the first envelope (already received or still to come) that matches. */
  synchronized Future<JsonObject> await(Predicate<JsonObject> until) {
    for (JsonObject envelope : received) {
      if (until.test(envelope)) {
        return Future.succeededFuture(envelope);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(until, promise));
    return promise.future();
  }

  Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private synchronized void onFrame(JsonObject frame) {
    if (!"rec".equals(frame.getString("type"))) {
      return;
    }
    JsonObject envelope = frame.getJsonObject("body");
    received.add(envelope);
    for (Waiter waiter : waiters) {
      if (waiter.until().test(envelope)) {
        waiters.remove(waiter);
        waiter.promise().tryComplete(envelope);
      }
    }
  }
}
