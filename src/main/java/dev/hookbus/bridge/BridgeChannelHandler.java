package dev.hookbus.bridge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The end of a bridge WebSocket's pipeline once {@link WebSocketTakeover} took it: hands the open, each whole
 * message and the close to {@link WebSocketBridge}, on the bridge verticle's context (whose event loop is this
 * channel's, so the hand-over is a call, not a task).
 */
final class BridgeChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeChannelHandler.class);

  private final WebSocketBridge bridge;
  private final ContextInternal context;
  private final boolean sockJs;
  private BridgeSocket socket;

  BridgeChannelHandler(WebSocketBridge bridge, ContextInternal context, boolean sockJs) {
    this.bridge = bridge;
    this.context = context;
    this.sockJs = sockJs;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof HandshakeComplete handshake) {
      String authorization = handshake.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
      context.dispatch(() -> socket = bridge.opened(ctx.channel(), sockJs, handshake.requestUri(), authorization));
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    try {
      BridgeSocket open = socket;
      if (open == null) {
        return; // the upgrade request's end, which Vert.x's decoder passed on before it left the pipeline
      }
      if (message instanceof TextWebSocketFrame text) {
        String body = text.text();
        context.dispatch(() -> bridge.onMessage(open, body, false));
      } else if (message instanceof BinaryWebSocketFrame binary) {
        String body = binary.content().toString(StandardCharsets.UTF_8);
        context.dispatch(() -> bridge.onMessage(open, body, true));
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    BridgeSocket closed = socket;
    if (closed != null) {
      context.dispatch(() -> bridge.closed(closed));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A browser that goes away mid-write is normal; the close that follows does the cleanup.
    LOG.debug("bridge socket from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (cause instanceof TooLongFrameException) {
      ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG));
    }
    ctx.close();
  }
}
