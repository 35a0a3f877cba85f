package dev.hookbus.bridge;

import io.vertx.core.json.JsonObject;

/** What {@link BridgeGuard} needs of a socket to refuse a frame: tell the client, close, name it in the log. */
interface BridgePeer {
  void send(JsonObject frame);

  void close(int code, String reason);

  Object remoteAddress();
}
