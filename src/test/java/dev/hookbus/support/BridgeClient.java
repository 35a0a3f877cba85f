package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A browser stand-in on the raw {@code /eventbus/websocket} bridge endpoint (binary JSON frames). */
public final class BridgeClient {
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<String, Consumer<JsonObject>> handlers = new ConcurrentHashMap<>();

  private BridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(buffer -> {
      JsonObject frame = buffer.toJsonObject();
      Consumer<JsonObject> handler = handlers.get(frame.getString("address", ""));
      if (handler != null) {
        handler.accept(frame);
      }
    });
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    // Held by the BridgeClient: Vert.x closes a client that becomes unreachable, with its connections.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(64 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
    return client.connect(port, "127.0.0.1", "/eventbus/websocket").map(socket -> new BridgeClient(client, socket));
  }

  public void register(String address, Consumer<JsonObject> onBody) {
    handlers.put(address, frame -> onBody.accept(frame.getJsonObject("body")));
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    String reply = UUID.randomUUID().toString();
    Promise<JsonObject> promise = Promise.promise();
    handlers.put(reply, frame -> {
      handlers.remove(reply);
      promise.tryComplete(frame.getJsonObject("body"));
    });
    socket.writeTextMessage(new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", reply).encode());
    return promise.future();
  }

  public Future<Void> close() {
    return socket.close().eventually(client::close);
  }
}
