package dev.hookbus.state;

import dev.hookbus.bus.Fanout;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Sends kept envelopes out: whole into the history window, and with long strings cut to {@code hookbus.events}
 * and the per-session/agent addresses (directly, or through the cluster's fan-out).
 */
final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  private final EventBus bus;
  private final Fanout fanout;
  private final FieldCutter cutter;

  Publisher(EventBus bus, Fanout fanout, FieldCutter cutter) {
    this.bus = bus;
    this.fanout = fanout;
    this.cutter = cutter;
  }

  /** Publishes in order; returns the last seq published. */
  long publish(List<JsonObject> envelopes, History<JsonObject> history, long lastSeq) {
    for (JsonObject json : envelopes) {
      lastSeq = json.getLong("seq");
      history.add(lastSeq, json);
      fanout.publish(bus, cutter.cut(json));
      if (json.getString("type").equals("session:end")) {
        LOG.info("session {} closed ({})", json.getString("sessionId"),
            json.getJsonObject("payload").getValue("reason", "end"));
      }
    }
    return lastSeq;
  }
}
