package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Envelope;
import dev.hookbus.model.Json;
import dev.hookbus.store.Restored;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The operations of the cluster's replicated log ({@code {"events":[…]}} or {@code {"idleAt": ms}}) and their
 * replay: the registry is deterministic, so applying the same operations in order gives the same state and seqs.
 */
final class OperationReplay {
  private OperationReplay() {
  }

  static JsonObject accepted(JsonArray events) {
    return new JsonObject().put("events", events);
  }

  static JsonObject idle(long now) {
    return new JsonObject().put("idleAt", now);
  }

  static Restored replay(SessionsConfig config, List<JsonObject> operations) {
    SessionRegistry registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    History<JsonObject> history = new History<>(config.historySize());
    for (JsonObject op : operations) {
      if (op.containsKey("idleAt")) {
        add(history, registry.closeIdle(op.getLong("idleAt")));
      } else {
        op.getJsonArray("events").forEach(e -> add(history, registry.apply(Json.event((JsonObject) e)).envelopes()));
      }
    }
    return new Restored(registry, history, operations.size());
  }

  private static void add(History<JsonObject> history, List<Envelope> envelopes) {
    envelopes.forEach(e -> history.add(e.seq(), Json.envelope(e)));
  }
}
