package dev.hookbus.bridge;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

import java.util.List;

/**
 * Takes a WebSocket upgrade away from Vert.x's HTTP connection. Netty's {@link WebSocketServerProtocolHandler}
 * answers the handshake and handles pings and closes, and the given handler gets whole messages, in the place of
 * Vert.x's connection handler. An open socket so keeps neither the upgrade request nor Vert.x's connection and
 * WebSocket objects, which a {@code toWebSocket()} socket keeps for its whole life (about 6 KB each; README,
 * "What took the 10 000 connections' heap"). The HTTP server's meters see what Vert.x's own upgrade reports: the
 * request answered with 101, an open WebSocket, and the connection closed when it closes.
 */
final class WebSocketTakeover {
  /** Vert.x's defaults for a server WebSocket: frame size, message size, closing timeout. */
  private static final int MAX_FRAME_BYTES = 65_536;
  private static final int MAX_MESSAGE_BYTES = 4 * MAX_FRAME_BYTES;
  private static final long CLOSING_TIMEOUT_MS = 10_000;
  private static final HttpResponse SWITCHING_PROTOCOLS = new HttpResponse() {
    @Override
    public int statusCode() {
      return 101;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }
  };

  private final WebSocketServerProtocolConfig config;
  private final boolean compression;

  WebSocketTakeover(boolean compression) {
    this.compression = compression;
    this.config = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .handshakeTimeoutMillis(CLOSING_TIMEOUT_MS)
        .forceCloseTimeoutMillis(CLOSING_TIMEOUT_MS)
        .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .allowExtensions(compression)
            .build())
        .build();
  }

  /**
   * Whether this can take the request: an RFC 6455 upgrade on an HTTP/1.1 connection. Anything else (HTTP/2, the
   * drafts' versions) is left to vertx-web's handler, which answers it as before.
   */
  static boolean canTake(HttpServerRequest request) {
    return request.canUpgradeToWebSocket()
        && request.version() == HttpVersion.HTTP_1_1
        && "13".equals(request.getHeader(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
        && request instanceof HttpServerRequestInternal
        && request.connection() instanceof ConnectionBase;
  }

  /**
   * Answers the handshake on the request's connection, which from now on belongs to {@code end}; call on the
   * connection's event loop, with a request {@link #canTake} accepts. {@code end} gets
   * {@link WebSocketServerProtocolHandler.HandshakeComplete} once the 101 is out, then whole text and binary messages.
   */
  void take(HttpServerRequest request, ChannelHandler end) {
    ConnectionBase connection = (ConnectionBase) request.connection();
    Channel channel = connection.channel();
    ChannelPipeline pipeline = channel.pipeline();
    String vertxHandler = connection.channelHandlerContext().name();
    List<String> names = pipeline.names();
    String before = names.get(names.indexOf(vertxHandler) - 1);
    if (compression) {
      pipeline.addBefore(vertxHandler, "ws-compression", new WebSocketServerCompressionHandler(MAX_MESSAGE_BYTES));
    }
    pipeline.replace(vertxHandler, "ws", new WebSocketServerProtocolHandler(config));
    pipeline.addAfter("ws", "ws-messages", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
    pipeline.addAfter("ws-messages", "ws-end", end);
    report(connection, (HttpServerRequestInternal) request, channel);
    pipeline.context(before).fireChannelRead(handshakeRequest(request));
  }

  /** The upgrade request as the meters see a request (Vert.x's decoder never passes its end on to Vert.x). */
  private static HttpRequest observed(HttpServerRequest request) {
    return new HttpRequest() {
      @Override
      public int id() {
        return (int) request.streamId();
      }

      @Override
      public String uri() {
        return request.uri();
      }

      @Override
      public String absoluteURI() {
        return request.absoluteURI();
      }

      @Override
      public io.vertx.core.http.HttpMethod method() {
        return request.method();
      }

      @Override
      public MultiMap headers() {
        return request.headers();
      }

      @Override
      public SocketAddress remoteAddress() {
        return request.remoteAddress();
      }
    };
  }

  private static DefaultFullHttpRequest handshakeRequest(HttpServerRequest request) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    request.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
    return new DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpMethod.GET, request.uri(),
        Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
  }

  /**
   * What Vert.x's own upgrade tells the HTTP server's meters (the request read and answered with 101, a WebSocket
   * open, then the connection closed), so that their gauges come back down.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void report(ConnectionBase connection, HttpServerRequestInternal request, Channel channel) {
    if (!(connection.metrics() instanceof HttpServerMetrics metrics)) {
      return;
    }
    Object socketMetric = connection.metric();
    Object requestMetric = request.metric();
    SocketAddress remote = connection.remoteAddress();
    metrics.requestEnd(requestMetric, observed(request), 0);
    metrics.responseBegin(requestMetric, SWITCHING_PROTOCOLS);
    metrics.responseEnd(requestMetric, SWITCHING_PROTOCOLS, 0);
    Object webSocketMetric = metrics.connected(socketMetric, requestMetric, null);
    channel.closeFuture().addListener(closed -> {
      metrics.disconnected(webSocketMetric);
      metrics.disconnected(socketMetric, remote);
    });
  }
}
