package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * hookbus's own WebSocket handler for the bridge: SockJS's {@code websocket} transport
 * ({@code /eventbus/<server>/<session>/websocket}) and the raw {@code /eventbus/websocket} endpoint, speaking the
 * event-bus bridge protocol as vertx-web's {@code EventBusBridgeImpl} does (register, unregister, send, publish,
 * ping; rec and err back) under {@link BridgeGuard}'s rules. Deliveries go through {@link AddressFanout} and
 * {@link Outbox}. One instance per bridge verticle instance, on its event loop, with one timer for heartbeats
 * and ping timeouts.
 */
final class WebSocketBridge {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);
  /** vertx-eventbus.js reply addresses are UUIDs; vertx-web refuses longer ones. */
  private static final int MAX_REPLY_ADDRESS = 36;
  private static final String SOCKJS_PATH = "/eventbus/[^/.]+/[^/.]+/websocket";
  private static final String RAW_PATH = "/eventbus/websocket";

  private final BridgeGuard guard;
  private final BridgeStats stats;
  private final Outbox outbox;
  private final AddressFanout fanout;
  private final BusRequests requests;
  private final Set<BridgeSocket> sockets = new HashSet<>();
  private long nextHeartbeatMs;

  WebSocketBridge(Vertx vertx, BridgeGuard guard, BridgeStats stats) {
    this.guard = guard;
    this.stats = stats;
    this.outbox = new Outbox(vertx.getOrCreateContext(), guard, stats, this::left);
    this.fanout = new AddressFanout(vertx.eventBus(), outbox, stats);
    this.requests = new BusRequests(vertx.eventBus(), guard);
    long pingTimeout = guard.config().pingTimeoutMs();
    long heartbeat = guard.config().heartbeatIntervalMs();
    this.nextHeartbeatMs = System.currentTimeMillis() + heartbeat;
    vertx.setPeriodic(Math.max(25, Math.min(pingTimeout, heartbeat) / 4), id -> tick());
  }

  /** Mounts both endpoints; call before vertx-web's SockJS handler, which keeps the other transports. */
  void mount(Router router) {
    router.get(RAW_PATH).handler(ctx -> upgrade(ctx, false));
    router.getWithRegex(SOCKJS_PATH).handler(ctx -> upgrade(ctx, true));
  }

  private void upgrade(RoutingContext ctx, boolean sockJs) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.next();
      return;
    }
    if (!(request.connection() instanceof ConnectionBase connection)) {
      ctx.next(); // not HTTP/1.1: vertx-web's handler answers
      return;
    }
    // The Netty channel the upgrade keeps: BridgeSocket writes envelopes to it directly (see there why).
    Channel channel = connection.channel();
    String uri = request.uri();
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    request.toWebSocket().onSuccess(ws -> accept(ws, channel, sockJs, uri, authorization)).onFailure(ctx::fail);
  }

  private void accept(ServerWebSocket ws, Channel channel, boolean sockJs, String uri, String authorization) {
    SocketState state = guard.admit(uri, authorization, ws.remoteAddress());
    if (state == null) {
      if (sockJs) {
        ws.writeTextMessage("o");
        ws.writeTextMessage("c[" + SockJsFraming.GO_AWAY_CODE + ",\"" + SockJsFraming.GO_AWAY_REASON + "\"]");
      }
      ws.close();
      return;
    }
    BridgeSocket socket = new BridgeSocket(ws, channel, sockJs, state, outbox, System.currentTimeMillis());
    sockets.add(socket);
    stats.joined();
    if (sockJs) {
      socket.open();
      ws.textMessageHandler(message -> onSockJsMessage(socket, message));
    } else {
      ws.binaryMessageHandler(buffer -> onFrame(socket, buffer.toString()));
      ws.textMessageHandler(text -> onFrame(socket, text));
    }
    ws.closeHandler(v -> outbox.gone(socket));
    // A browser that goes away mid-write is normal; the close that follows does the cleanup.
    ws.exceptionHandler(error -> LOG.debug("bridge socket from {}: {}", socket.remoteAddress(), error.toString()));
  }

  /** Drops a closing or closed socket from its subscriptions and the counts. */
  private void left(BridgeSocket socket) {
    sockets.remove(socket);
    stats.deciders.left(socket.state, null);
    for (String address : socket.subscriptions) {
      fanout.unsubscribe(address, socket);
    }
    stats.left(socket.subscriptions);
  }

  private void onSockJsMessage(BridgeSocket socket, String message) {
    List<String> frames = SockJsFraming.decode(message);
    if (frames == null) {
      socket.close(SockJsFraming.GO_AWAY_CODE, SockJsFraming.GO_AWAY_REASON);
      return;
    }
    for (String frame : frames) {
      onFrame(socket, frame);
    }
  }

  private void onFrame(BridgeSocket socket, String text) {
    if (socket.gone()) {
      return;
    }
    socket.lastHeardMs = System.currentTimeMillis();
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      replyError(socket, "invalid_json");
      return;
    }
    String type = frame.getString("type");
    String address = frame.getString("address");
    if (type == null) {
      replyError(socket, "missing_type");
    } else if (type.equals("ping")) {
      return;
    } else if (address == null) {
      replyError(socket, "missing_address");
    } else {
      switch (type) {
        case "register" -> register(socket, address, frame);
        case "unregister" -> unregister(socket, address);
        case "send" -> sendOrPublish(socket, address, frame, true);
        case "publish" -> sendOrPublish(socket, address, frame, false);
        default -> replyError(socket, "invalid_type");
      }
    }
  }

  private void register(BridgeSocket socket, String address, JsonObject frame) {
    if (!guard.allowFrame(socket.state, BridgeEventType.REGISTER, frame, socket)) {
      replyError(socket, "rejected");
    } else if (address.length() > BridgePermissions.MAX_ADDRESS_LENGTH) {
      replyError(socket, "max_address_length_reached");
    } else if (!BridgePermissions.mayReceive(address)) {
      replyError(socket, "access_denied");
    } else if (socket.subscriptions.contains(address)) {
      replyError(socket, "address_already_registered");
    } else if (!socket.gone()) {
      socket.subscriptions.add(address);
      socket.state.subscriptions++;
      fanout.subscribe(address, socket);
      stats.subscribed(address);
      stats.deciders.registered(socket.state, address);
    }
  }

  private void unregister(BridgeSocket socket, String address) {
    if (!BridgePermissions.mayReceive(address)) {
      replyError(socket, "access_denied");
    } else if (socket.subscriptions.remove(address)) {
      socket.state.subscriptions--;
      fanout.unsubscribe(address, socket);
      stats.unsubscribed(address);
      stats.deciders.left(socket.state, address);
    }
  }

  private void sendOrPublish(BridgeSocket socket, String address, JsonObject frame, boolean send) {
    String replyAddress = frame.getString("replyAddress");
    if (send && address.equals(Addresses.APPROVALS_DECIDE) && !guard.stampDecision(socket.state, frame, socket)) {
      return;
    }
    if (!guard.allowFrame(socket.state, send ? BridgeEventType.SEND : BridgeEventType.PUBLISH, frame, socket)) {
      replyError(socket, "rejected");
    } else if (replyAddress != null && replyAddress.length() > MAX_REPLY_ADDRESS) {
      replyError(socket, "invalid_reply_address");
    } else if (!BridgePermissions.maySend(address)) {
      replyError(socket, "access_denied");
    } else {
      requests.forward(socket, address, frame, send, replyAddress);
    }
  }

  private static void replyError(BridgeSocket socket, String error) {
    socket.send(new JsonObject().put("type", "err").put("body", error));
  }

  /** Closes sockets silent past {@code bridge.pingTimeoutMs}; sends SockJS heartbeats when they are due. */
  private void tick() {
    long now = System.currentTimeMillis();
    long pingTimeout = guard.config().pingTimeoutMs();
    boolean heartbeat = now >= nextHeartbeatMs;
    if (heartbeat) {
      nextHeartbeatMs = now + guard.config().heartbeatIntervalMs();
    }
    fanout.sweep();
    for (BridgeSocket socket : new ArrayList<>(sockets)) {
      if (now - socket.lastHeardMs >= pingTimeout) {
        // What vertx-web does when a socket's pings stop: 1001 on the raw endpoint, SockJS's "Go away!".
        if (socket.sockJs) {
          socket.close(SockJsFraming.GO_AWAY_CODE, SockJsFraming.GO_AWAY_REASON);
        } else {
          socket.close(1001, "Session expired");
        }
      } else if (heartbeat) {
        socket.heartbeat();
      }
    }
  }
}
