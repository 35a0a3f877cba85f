package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * How many viewers who may decide approvals are connected, summed over every node's bridge from what each
 * publishes on {@link Addresses#APPROVAL_DECIDERS}; a node not heard from for {@link #SILENT_MS} counts none.
 * One per ingest instance, on its event loop.
 */
final class Deciders {
  static final long SILENT_MS = 5_000;

  private record Heard(int deciders, long at) {
  }

  private final Vertx vertx;
  private final Map<String, Heard> byNode = new HashMap<>();

  Deciders(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.APPROVAL_DECIDERS, m -> byNode.put(m.body().getString("node"),
        new Heard(m.body().getInteger("deciders", 0), System.currentTimeMillis()))).completion();
  }

  int count() {
    long now = System.currentTimeMillis();
    byNode.values().removeIf(h -> now - h.at() > SILENT_MS);
    int sum = 0;
    for (Heard heard : byNode.values()) {
      sum += heard.deciders();
    }
    return sum;
  }
}
