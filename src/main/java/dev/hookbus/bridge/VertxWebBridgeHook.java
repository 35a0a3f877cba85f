package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import dev.hookbus.security.OriginPolicy;
import dev.hookbus.security.RequestGuards;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.Map;

/**
 * hookbus's rules on vertx-web's bridge, which keeps the SockJS transports other than WebSocket (xhr-streaming,
 * xhr-polling, eventsource…): its bridge events go through {@link BridgeGuard}, the counts into
 * {@link BridgeStats}, and its outbound frames through {@link Deliveries}. Lives on its verticle's event loop.
 */
final class VertxWebBridgeHook implements Handler<BridgeEvent> {
  private final BridgeGuard guard;
  private final BridgeStats stats;
  private final Map<SockJSSocket, SocketState> sockets = new HashMap<>();
  private final Deliveries deliveries;

  VertxWebBridgeHook(BridgeGuard guard, BridgeStats stats) {
    this.guard = guard;
    this.stats = stats;
    this.deliveries = new Deliveries(guard, stats, sockets::get);
  }

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    SocketState state = sockets.get(socket);
    switch (event.type()) {
      case SOCKET_CREATED -> {
        boolean admitted = admit(socket);
        if (admitted) {
          stats.connected(socket);
        }
        event.complete(admitted);
      }
      case SOCKET_CLOSED -> {
        stats.disconnected(socket);
        stats.deciders.left(sockets.remove(socket), null);
        event.complete(true);
      }
      case SEND -> event.complete(state != null
          && (!Addresses.APPROVALS_DECIDE.equals(event.getRawMessage().getString("address"))
          || guard.stampDecision(state, event.getRawMessage(), new SockJsPeer(socket)))
          && guard.allowFrame(state, event.type(), event.getRawMessage(), new SockJsPeer(socket)));
      case REGISTER, PUBLISH -> event.complete(state != null
          && guard.allowFrame(state, event.type(), event.getRawMessage(), new SockJsPeer(socket)));
      case REGISTERED -> {
        stats.registered(socket, event.getRawMessage().getString("address"));
        stats.deciders.registered(state, event.getRawMessage().getString("address"));
        if (state != null) {
          state.subscriptions++;
        }
        event.complete(true);
      }
      case UNREGISTER -> {
        stats.unregistered(socket, event.getRawMessage().getString("address"));
        stats.deciders.left(state, event.getRawMessage().getString("address"));
        if (state != null && state.subscriptions > 0) {
          state.subscriptions--;
        }
        event.complete(true);
      }
      case RECEIVE -> deliveries.deliver(event);
      default -> event.complete(true);
    }
  }

  private boolean admit(SockJSSocket socket) {
    MultiMap headers = socket.headers();
    if (headers != null && !OriginPolicy.bridgeAllows(headers.get(RequestGuards.ORIGIN),
        guard.config().allowedOrigins(), guard.hosts(), socket.localAddress().port(), headers.get("Host"))) {
      return guard.refuse(socket.remoteAddress(), "origin " + headers.get("Origin") + " is not allowed");
    }
    SocketState state = guard.admit(socket.uri(), headers == null ? null : headers.get("Authorization"),
        socket.remoteAddress());
    if (state != null) {
      sockets.put(socket, state);
    }
    return state != null;
  }
}
