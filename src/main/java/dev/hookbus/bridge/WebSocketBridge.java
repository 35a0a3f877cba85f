package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * hookbus's own WebSocket handler for the bridge: SockJS's {@code websocket} transport
 * ({@code /eventbus/<server>/<session>/websocket}) and the raw {@code /eventbus/websocket} endpoint, speaking the
 * event-bus bridge protocol as vertx-web's {@code EventBusBridgeImpl} does (register, unregister, send, publish,
 * ping; rec and err back) under {@link BridgeGuard}'s rules. Deliveries go through {@link AddressFanout} and
 * {@link Outbox}. The upgrade leaves Vert.x's HTTP connection ({@link WebSocketTakeover}); Netty's WebSocket codec
 * and {@link BridgeChannelHandler} carry the socket from then on. One instance per bridge verticle instance, on its
 * event loop, with one timer for heartbeats and ping timeouts.
 */
final class WebSocketBridge {
  /** vertx-eventbus.js reply addresses are UUIDs; vertx-web refuses longer ones. */
  private static final int MAX_REPLY_ADDRESS = 36;
  private static final String SOCKJS_PATH = "/eventbus/[^/.]+/[^/.]+/websocket";
  private static final String RAW_PATH = "/eventbus/websocket";

  private final BridgeGuard guard;
  private final BridgeStats stats;
  private final Outbox outbox;
  private final AddressFanout fanout;
  private final BusRequests requests;
  private final ContextInternal context;
  private final WebSocketTakeover takeover;
  private final Set<BridgeSocket> sockets = new HashSet<>();
  private long nextHeartbeatMs;

  WebSocketBridge(Vertx vertx, BridgeGuard guard, BridgeStats stats) {
    this.guard = guard;
    this.stats = stats;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.takeover = new WebSocketTakeover(guard.config().websocketCompression());
    this.outbox = new Outbox(context, guard, stats, this::left);
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
    if (WebSocketTakeover.canTake(ctx.request())) {
      takeover.take(ctx.request(), new BridgeChannelHandler(this, context, sockJs));
    } else {
      ctx.next(); // not an RFC 6455 upgrade over HTTP/1.1: vertx-web's handler answers
    }
  }

  /** The handshake is done: admits the socket, or refuses it and returns null. */
  BridgeSocket opened(Channel channel, boolean sockJs, String uri, String authorization) {
    SocketState state = guard.admit(uri, authorization, channel.remoteAddress());
    if (state == null) {
      BridgeSocket.refuse(channel, sockJs);
      return null;
    }
    BridgeSocket socket = new BridgeSocket(channel, sockJs, state, outbox, System.currentTimeMillis());
    sockets.add(socket);
    stats.joined();
    if (sockJs) {
      socket.open();
    }
    return socket;
  }

  /** One whole message from a socket: SockJS frames text messages; the raw endpoint takes text and binary. */
  void onMessage(BridgeSocket socket, String message, boolean binary) {
    if (!socket.sockJs) {
      onFrame(socket, message);
    } else if (!binary) {
      onSockJsMessage(socket, message);
    }
  }

  /** The connection is closed, by either side. */
  void closed(BridgeSocket socket) {
    outbox.gone(socket);
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
