package dev.hookbus.bridge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One browser on hookbus's WebSocket handler, SockJS-framed or raw: its guard state, its subscriptions, the
 * frames due to it in this event-loop turn and the bytes written but not yet on the wire. Nothing else is kept:
 * not the upgrade request, no timer (the verticle's one timer walks the sockets). Lives on its verticle's loop.
 */
final class BridgeSocket implements BridgePeer {
  /** The largest WebSocket frame we send; longer messages go out in continuation frames (clients cap frames). */
  private static final int MAX_FRAME_BYTES = 65_536;

  private final ServerWebSocket ws;
  final boolean sockJs;
  final SocketState state;
  private final Outbox outbox;
  final List<String> subscriptions = new ArrayList<>(2);
  long lastHeardMs;
  private OutboundFrame first;
  private ArrayList<OutboundFrame> more;
  private int pendingBytes;
  private boolean gone;

  BridgeSocket(ServerWebSocket ws, boolean sockJs, SocketState state, Outbox outbox, long nowMs) {
    this.ws = ws;
    this.sockJs = sockJs;
    this.state = state;
    this.outbox = outbox;
    this.lastHeardMs = nowMs;
  }

  boolean gone() {
    return gone;
  }

  /** Bytes due to the socket in this turn, not written yet. */
  int pendingBytes() {
    return pendingBytes;
  }

  /** Queues a frame for the end of the turn; true when it is the first one this turn. */
  boolean queue(OutboundFrame frame, int size) {
    pendingBytes += size;
    if (first == null) {
      first = frame;
      return true;
    }
    if (more == null) {
      more = new ArrayList<>(4);
    }
    more.add(frame);
    return false;
  }

  /** Writes what the turn queued: for SockJS one {@code a[…]} frame holding all of it. */
  void flush() {
    OutboundFrame one = first;
    List<OutboundFrame> rest = more;
    first = null;
    more = null;
    int bytes = pendingBytes;
    pendingBytes = 0;
    if (gone || one == null) {
      return;
    }
    if (!sockJs) {
      written(ws.writeBinaryMessage(one.raw()), one.size(false));
      if (rest != null) {
        rest.forEach(frame -> written(ws.writeBinaryMessage(frame.raw()), frame.size(false)));
      }
      return;
    }
    if (rest == null) {
      written(writeText(one.sockJs()), bytes);
      return;
    }
    List<Buffer> frames = new ArrayList<>(rest.size() + 1);
    frames.add(one.sockJs());
    rest.forEach(frame -> frames.add(frame.sockJs()));
    Buffer joined = SockJsFraming.join(frames, bytes);
    written(writeText(joined), joined.length());
  }

  void heartbeat() {
    if (sockJs && !gone) {
      writeText(SockJsFraming.HEARTBEAT);
    }
  }

  void open() {
    writeText(SockJsFraming.OPEN);
  }

  @Override
  public void send(JsonObject frame) {
    outbox.add(this, new OutboundFrame(frame.encode()));
  }

  /**
   * Closes with a code the client sees ({@code c[code,"reason"]} first on SockJS) after what this turn queued
   * (the errors that explain the close); it gets nothing more.
   */
  @Override
  public void close(int code, String reason) {
    if (gone) {
      return;
    }
    flush();
    outbox.gone(this);
    if (sockJs) {
      writeText(SockJsFraming.closeFrame(code, reason));
    }
    ws.close((short) code, reason);
  }

  /** The connection went away (or was closed): from now on nothing is written. */
  void markGone() {
    gone = true;
    first = null;
    more = null;
    pendingBytes = 0;
  }

  @Override
  public Object remoteAddress() {
    return ws.remoteAddress();
  }

  private void written(Future<Void> write, int size) {
    state.queuedBytes += size;
    write.onComplete(done -> state.queuedBytes -= size);
  }

  /** A text message from bytes we already have (ASCII, so any split is a valid one), without a String copy. */
  private Future<Void> writeText(Buffer text) {
    int length = text.length();
    if (length <= MAX_FRAME_BYTES) {
      return ws.writeFrame(textFrame(text, true));
    }
    Future<Void> last = ws.writeFrame(textFrame(text.slice(0, MAX_FRAME_BYTES), false));
    for (int from = MAX_FRAME_BYTES; from < length; from += MAX_FRAME_BYTES) {
      int to = Math.min(length, from + MAX_FRAME_BYTES);
      last = ws.writeFrame(WebSocketFrame.continuationFrame(text.slice(from, to), to == length));
    }
    return last;
  }

  private static WebSocketFrame textFrame(Buffer text, boolean isFinal) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) text).getByteBuf(), isFinal);
  }
}
