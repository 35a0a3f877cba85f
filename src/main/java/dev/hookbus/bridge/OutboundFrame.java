package dev.hookbus.bridge;

import io.vertx.core.buffer.Buffer;

/**
 * One bridge frame ({@code rec}, {@code err}) on its way to sockets, encoded at most once per transport and then
 * shared: every socket subscribed to the address writes the same buffer (each write takes its own slice of it).
 */
final class OutboundFrame {
  private final String text;
  private Buffer raw;
  private Buffer sockJs;

  OutboundFrame(String text) {
    this.text = text;
  }

  /** The frame as the raw endpoint sends it: the JSON text, in one binary message. */
  Buffer raw() {
    if (raw == null) {
      raw = Buffer.buffer(text);
    }
    return raw;
  }

  /** The frame as a SockJS message frame {@code a["…"]} of its own. */
  Buffer sockJs() {
    if (sockJs == null) {
      sockJs = SockJsFraming.messageFrame(text);
    }
    return sockJs;
  }

  int size(boolean forSockJs) {
    return forSockJs ? sockJs().length() : raw().length();
  }
}
