package dev.hookbus.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One browser on hookbus's WebSocket handler, SockJS-framed or raw: its guard state, its subscriptions and the
 * frames due to it in this event-loop turn. Nothing else is kept: no timer (the verticle's one timer walks the
 * sockets). Lives on its verticle's loop, which is its connection's loop.
 *
 * <p>Envelopes go straight to the connection's Netty channel, one write per frame and one flush per turn, without a
 * promise: Vert.x's own write path (a promise, a lock, its outbound queue and byte metrics per write) cost more than
 * the write itself in a 100-subscriber fan-out. The bytes written and not yet on the wire are the channel's own
 * count. Writes start at the pipeline's tail and pass Netty's WebSocket protocol handler (which keeps anything from
 * following a close frame) and its frame encoder.
 */
final class BridgeSocket implements BridgePeer {
  /** The largest WebSocket frame we send; longer messages go out in continuation frames (clients cap frames). */
  private static final int MAX_FRAME_BYTES = 65_536;

  private final Channel channel;
  final boolean sockJs;
  final SocketState state;
  private final Outbox outbox;
  final List<String> subscriptions = new ArrayList<>(2);
  long lastHeardMs;
  private OutboundFrame first;
  private ArrayList<OutboundFrame> more;
  private int pendingBytes;
  private boolean gone;

  BridgeSocket(Channel channel, boolean sockJs, SocketState state, Outbox outbox, long nowMs) {
    this.channel = channel;
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

  /** Bytes written to the connection and not yet taken by the network. */
  long unsentBytes() {
    ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
    return unsent == null ? 0 : unsent.totalPendingWriteBytes();
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

  /** Writes what the turn queued, for SockJS in one {@code a[…]} frame, and flushes once. */
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
      write(one.raw(), false);
      if (rest != null) {
        rest.forEach(frame -> write(frame.raw(), false));
      }
    } else if (rest == null) {
      write(one.sockJs(), true);
    } else {
      List<Buffer> frames = new ArrayList<>(rest.size() + 1);
      frames.add(one.sockJs());
      rest.forEach(frame -> frames.add(frame.sockJs()));
      write(SockJsFraming.join(frames, bytes), true);
    }
    channel.flush();
  }

  void heartbeat() {
    if (sockJs && !gone) {
      write(SockJsFraming.HEARTBEAT, true);
      channel.flush();
    }
  }

  void open() {
    write(SockJsFraming.OPEN, true);
    channel.flush();
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
    closeChannel(channel, sockJs, code, reason);
  }

  /**
   * Closes a socket the guard did not admit: on SockJS with {@code o}, then its "Go away!"; on the raw endpoint with
   * a plain 1000, as vertx-web does.
   */
  static void refuse(Channel channel, boolean sockJs) {
    if (sockJs) {
      write(channel, SockJsFraming.OPEN, true);
      closeChannel(channel, true, SockJsFraming.GO_AWAY_CODE, SockJsFraming.GO_AWAY_REASON);
    } else {
      closeChannel(channel, false, 1000, null);
    }
  }

  /**
   * The close frame, then the close: Netty's protocol handler closes the connection once the frame is out, or after
   * its closing timeout when the client does not read.
   */
  private static void closeChannel(Channel channel, boolean sockJs, int code, String reason) {
    if (sockJs) {
      write(channel, SockJsFraming.closeFrame(code, reason), true);
    }
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason), channel.voidPromise());
    channel.close();
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
    return channel.remoteAddress();
  }

  /**
   * One message from bytes we already have, in frames of at most {@link #MAX_FRAME_BYTES} (a text message is ASCII,
   * so any split is a valid one), without a String copy.
   */
  private void write(Buffer message, boolean text) {
    write(channel, message, text);
  }

  private static void write(Channel channel, Buffer message, boolean text) {
    int length = message.length();
    int to = Math.min(length, MAX_FRAME_BYTES);
    ByteBuf head = byteBuf(to == length ? message : message.slice(0, to));
    channel.write(text ? new TextWebSocketFrame(to == length, 0, head) : new BinaryWebSocketFrame(to == length, 0, head),
        channel.voidPromise());
    for (int from = to; from < length; from = to) {
      to = Math.min(length, from + MAX_FRAME_BYTES);
      WebSocketFrame part = new ContinuationWebSocketFrame(to == length, 0, byteBuf(message.slice(from, to)));
      channel.write(part, channel.voidPromise());
    }
  }

  /** A view of a shared frame for one write: Vert.x heap buffers are not reference counted, so views need no release. */
  private static ByteBuf byteBuf(Buffer frame) {
    return ((BufferInternal) frame).getByteBuf();
  }
}
