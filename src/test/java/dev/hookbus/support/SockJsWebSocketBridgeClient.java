package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Bridge client over SockJS's {@code websocket} transport ({@code /eventbus/<server>/<session>/websocket}), as
 * sockjs-client speaks it: waits for {@code o}, sends each bridge frame in a JSON array of one string, reads
 * {@code a[…]} (every string in it one bridge frame), counts {@code h} heartbeats and keeps the {@code c[…]} close
 * frame. The text of every {@code a[…]} frame is kept too, for tests of how the server batches.
 */
public final class SockJsWebSocketBridgeClient extends BridgeClient {
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Promise<Void> opened = Promise.promise();
  private final Promise<JsonArray> closeFrame = Promise.promise();
  private final Promise<Integer> closed = Promise.promise();
  private final List<String> messageFrames = new ArrayList<>();
  private final List<Promise<Void>> heartbeatWaiters = new ArrayList<>();
  private int heartbeats;

  private SockJsWebSocketBridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(this::onText);
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, "").map(client -> client);
  }

  /** {@code query} is appended to the URI ("?token=…" or ""); completes once the {@code o} frame came. */
  public static Future<SockJsWebSocketBridgeClient> connect(Vertx vertx, int port, String query) {
    return connect(vertx, new WebSocketClientOptions(), port, query);
  }

  /** Over WSS when {@code options} say SSL (and whom to trust). */
  public static Future<SockJsWebSocketBridgeClient> connect(Vertx vertx, WebSocketClientOptions options, int port,
                                                            String query) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    String session = UUID.randomUUID().toString().substring(0, 8);
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/eventbus/123/" + session + "/websocket" + query))
        .map(socket -> new SockJsWebSocketBridgeClient(client, socket))
        .compose(c -> c.opened.future().map(c));
  }

  private void onText(String text) {
    switch (text.charAt(0)) {
      case 'o' -> opened.tryComplete();
      case 'h' -> heartbeat();
      case 'c' -> closeFrame.tryComplete(new JsonArray(text.substring(1)));
      case 'a' -> {
        synchronized (this) {
          messageFrames.add(text);
        }
        new JsonArray(text.substring(1)).forEach(frame -> onFrame(new JsonObject((String) frame)));
      }
      default -> throw new IllegalStateException("not a SockJS frame: " + text);
    }
  }

  private synchronized void heartbeat() {
    heartbeats++;
    heartbeatWaiters.forEach(Promise::tryComplete);
    heartbeatWaiters.clear();
  }

  /** Completes at the next heartbeat (at once if one came already). */
  public synchronized Future<Void> heartbeatSeen() {
    if (heartbeats > 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    heartbeatWaiters.add(promise);
    return promise.future();
  }

  /** The {@code a[…]} frames received so far, as text. */
  public synchronized List<String> messageFrames() {
    return List.copyOf(messageFrames);
  }

  /** The {@code [code, "reason"]} of the SockJS close frame, when one comes. */
  public Future<JsonArray> closeFrame() {
    return closeFrame.future();
  }

  /** The WebSocket close status once the connection closed. */
  public Future<Integer> closed() {
    return closed.future();
  }

  /** A bridge {@code ping}, as vertx-eventbus.js sends every 5 s. */
  public Future<Void> ping() {
    return write(new JsonObject().put("type", "ping"));
  }

  /** Writes a raw SockJS message (for tests of malformed input). */
  public Future<Void> writeRaw(String text) {
    return socket.writeTextMessage(text);
  }

  @Override
  protected Future<Void> write(JsonObject frame) {
    return socket.writeTextMessage(new JsonArray().add(frame.encode()).encode());
  }

  @Override
  public Future<Void> close() {
    return socket.close().eventually(() -> client.close());
  }
}
