package dev.hookbus.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the bridge port that a test can cut: {@link #cut()} drops every connection and refuses
 * new ones until {@link #restore()}. To the browser it is a real network outage; hookbus itself keeps running.
 */
final class CuttableProxy {
  private final Vertx vertx;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;
  private NetClient client;
  private NetServer server;

  CuttableProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
  }

  Future<Integer> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
  }

  void cut() {
    refusing = true;
    open.forEach(NetSocket::close);
  }

  void restore() {
    refusing = false;
  }

  Future<Void> close() {
    open.forEach(NetSocket::close);
    return server.close().compose(v -> client.close());
  }

  private void accept(NetSocket downstream) {
    if (refusing) {
      downstream.close();
      return;
    }
    downstream.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed() || refusing) {
        downstream.close();
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      NetSocket upstream = connected.result();
      open.add(downstream);
      open.add(upstream);
      downstream.handler(upstream::write);
      upstream.handler(downstream::write);
      downstream.closeHandler(v -> {
        open.remove(downstream);
        upstream.close();
      });
      upstream.closeHandler(v -> {
        open.remove(upstream);
        downstream.close();
      });
      downstream.resume();
    });
  }
}
