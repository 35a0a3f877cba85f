package dev.hookbus.bridge;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A vertx-web SockJS socket as {@link BridgeGuard} sees one. */
record SockJsPeer(SockJSSocket socket) implements BridgePeer {
  @Override
  public void send(JsonObject frame) {
    socket.write(frame.toBuffer());
  }

  @Override
  public void close(int code, String reason) {
    socket.close(code, reason);
  }

  @Override
  public Object remoteAddress() {
    return socket.remoteAddress();
  }
}
