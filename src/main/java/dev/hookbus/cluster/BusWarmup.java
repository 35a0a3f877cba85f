package dev.hookbus.cluster;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks up, while every member answers, each cluster address this node may send to. The clustered event bus
 * finds an address's consumers in Hazelcast's subscription map the first time it is used and then keeps them up to
 * date from the map's events; a first lookup while a frozen member still owns that part of the map waits until the
 * member is dropped. A new leader's first announcement, replication and relaying would wait with it, so every node
 * sends one ignored message to each of them at start and whenever a member joins.
 */
final class BusWarmup {
  static final String HEADER = "hookbus-warmup";
  private static final long CHECK_MS = 1_000;
  private static final DeliveryOptions WARM = new DeliveryOptions().addHeader(HEADER, "1");

  private final Set<String> warmed = new HashSet<>();

  private BusWarmup() {
  }

  /** True for a warm-up message, which consumers drop. */
  static boolean isWarmup(Message<?> message) {
    return message.headers().contains(HEADER);
  }

  static void start(Vertx vertx, ClusterView view, List<String> forwarded) {
    BusWarmup warmup = new BusWarmup();
    EventBus bus = vertx.eventBus();
    bus.publish(Addresses.LEADER, new JsonObject(), WARM);
    bus.publish(Addresses.FANOUT, new JsonObject(), WARM);
    Runnable check = () -> {
      for (String member : view.members()) {
        if (warmup.warmed.add(member)) {
          bus.publish(Addresses.replica(member), new JsonObject(), WARM);
          forwarded.forEach(address -> bus.publish(Addresses.onNode(address, member), new JsonObject(), WARM));
        }
      }
      warmup.warmed.retainAll(view.members());
    };
    check.run();
    vertx.setPeriodic(CHECK_MS, id -> check.run());
  }
}
