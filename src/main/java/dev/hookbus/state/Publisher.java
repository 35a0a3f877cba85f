package dev.hookbus.state;

import dev.hookbus.bus.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Sends journaled envelopes out: into the history window, to {@code hookbus.events} and the per-session/agent addresses. */
final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  private final EventBus bus;

  Publisher(EventBus bus) {
    this.bus = bus;
  }

  /** Publishes in order; returns the last seq published. */
  long publish(List<JsonObject> envelopes, History<JsonObject> history, long lastSeq) {
    for (JsonObject json : envelopes) {
      lastSeq = json.getLong("seq");
      history.add(lastSeq, json);
      bus.publish(Addresses.EVENTS, json);
      String sessionId = json.getString("sessionId");
      if (sessionId != null) {
        bus.publish(Addresses.session(sessionId), json);
      }
      String agentId = json.getString("agentId");
      if (agentId != null) {
        bus.publish(Addresses.agent(agentId), json);
      }
      if (json.getString("type").equals("session:end")) {
        LOG.info("session {} closed ({})", sessionId, json.getJsonObject("payload").getValue("reason", "end"));
      }
    }
    return lastSeq;
  }
}
