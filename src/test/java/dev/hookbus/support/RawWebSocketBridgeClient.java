package dev.hookbus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Bridge client over the raw WebSocket endpoint {@code /eventbus/websocket} (no SockJS framing). */
public final class RawWebSocketBridgeClient extends BridgeClient {
  // Held so the client is not closed by Vert.x's cleaner while the socket is in use.
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Promise<Integer> closed = Promise.promise();

  private RawWebSocketBridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    // The bridge sends binary frames on the raw endpoint (STACK.md); a message over the server's max frame size
    // (64 KiB, a long history reply) comes in several frames, which binaryMessageHandler puts back together.
    socket.binaryMessageHandler(buffer -> onFrame(buffer.toJsonObject()));
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
  }

  /** Completes with the close status code when the socket closes, from either side. */
  public Future<Integer> closed() {
    return closed.future();
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    return connect(vertx, options(port, "/eventbus/websocket")).map(client -> client);
  }

  public static WebSocketConnectOptions options(int port, String uri) {
    return new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(uri);
  }

  /** With client options, for example a larger max frame size for big history replies. */
  public static Future<BridgeClient> connect(Vertx vertx, WebSocketClientOptions clientOptions, int port) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    return client.connect(options(port, "/eventbus/websocket"))
        .map(socket -> new RawWebSocketBridgeClient(client, socket));
  }

  public static Future<RawWebSocketBridgeClient> connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(options).map(socket -> new RawWebSocketBridgeClient(client, socket));
  }

  public WebSocket socket() {
    return socket;
  }

  @Override
  protected Future<Void> write(JsonObject frame) {
    return socket.writeTextMessage(frame.encode());
  }

  @Override
  public Future<Void> close() {
    return socket.close().eventually(() -> client.close());
  }
}
