package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of this node's bridge sockets may decide approvals and listen on {@link Addresses#APPROVALS} (a dashboard
 * does; a plain subscriber to {@code hookbus.events} does not, so it never makes a hook wait), told to ingest on {@link Addresses#APPROVAL_DECIDERS}
 * whenever it changes and every {@link #REPEAT_MS} (so an ingest that starts later, or on another node, learns it).
 * One per node, shared by its bridge instances; ingest holds a PermissionRequest only while some node has one.
 */
public final class DeciderPresence {
  static final long REPEAT_MS = 2_000;

  private final String node = UUID.randomUUID().toString();
  private final AtomicInteger deciders = new AtomicInteger();
  /** Set by the ticker instance; sockets of every instance tell through it. */
  private volatile Vertx vertx;

  /** Starts the repeat; called by the bridge instance that runs the metrics ticker. */
  void start(Vertx on) {
    this.vertx = on;
    on.setPeriodic(REPEAT_MS, id -> tell());
    tell();
  }

  /** A socket registered on {@code address}. */
  void registered(SocketState state, String address) {
    if (state != null && state.mayDecide && !state.countedAsDecider && Addresses.APPROVALS.equals(address)) {
      state.countedAsDecider = true;
      deciders.incrementAndGet();
      tell();
    }
  }

  /** A socket unregistered from {@code address}, or (address null) closed. */
  void left(SocketState state, String address) {
    if (state != null && state.countedAsDecider && (address == null || Addresses.APPROVALS.equals(address))) {
      state.countedAsDecider = false;
      deciders.decrementAndGet();
      tell();
    }
  }

  int deciders() {
    return deciders.get();
  }

  private void tell() {
    Vertx on = vertx;
    if (on != null) {
      on.eventBus().publish(Addresses.APPROVAL_DECIDERS, new JsonObject().put("node", node)
          .put("deciders", deciders.get()));
    }
  }
}
