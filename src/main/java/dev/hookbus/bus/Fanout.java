package dev.hookbus.bus;

import dev.hookbus.model.EventTypes;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** How the state actor hands an envelope to subscribers. */
@FunctionalInterface
public interface Fanout {

  /** Single node: straight to the browser addresses. */
  Fanout DIRECT = Fanout::toSubscribers;

  /** Cluster: one publish to {@link Addresses#FANOUT}; each node's relay calls {@link #toSubscribers} locally. */
  Fanout CLUSTER = (bus, envelope) -> bus.publish(Addresses.FANOUT, envelope);

  void publish(EventBus bus, JsonObject envelope);

  /**
   * Publishes an envelope on {@code hookbus.events} (approvals on {@code hookbus.approvals} too) and on its session and agent addresses, with the
   * {@link SharedJsonCodec}: every bridge subscription is a consumer, and none of them gets its own copy.
   */
  static void toSubscribers(EventBus bus, JsonObject envelope) {
    bus.publish(Addresses.EVENTS, envelope, SharedJsonCodec.DELIVERY);
    if (envelope.getString("type").startsWith(EventTypes.APPROVAL_PREFIX)) {
      bus.publish(Addresses.APPROVALS, envelope, SharedJsonCodec.DELIVERY);
    }
    String sessionId = envelope.getString("sessionId");
    if (sessionId != null) {
      bus.publish(Addresses.session(sessionId), envelope, SharedJsonCodec.DELIVERY);
    }
    String agentId = envelope.getString("agentId");
    if (agentId != null) {
      bus.publish(Addresses.agent(agentId), envelope, SharedJsonCodec.DELIVERY);
    }
  }
}
