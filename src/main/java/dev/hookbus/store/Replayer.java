package dev.hookbus.store;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.Json;
import dev.hookbus.state.History;
import dev.hookbus.state.SessionRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Rebuilds the registry and the history window by replaying the journal: each record's cause (the accepted
 * event, or the idle sweep at its recorded clock) is applied again from the seq it had. The registry is pure and
 * deterministic, so with the same config it ends exactly where it was; history gets the envelopes as journaled.
 */
public final class Replayer {
  private Replayer() {
  }

  /** Blocking: call it on a worker. The returned state is not shared until the caller hands it over. */
  public static Restored replay(Journal journal, SessionsConfig config) {
    SessionRegistry registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    History<JsonObject> history = new History<>(config.historySize());
    long[] records = {0};
    long windowStart = journal.durableSeq() - config.historySize();
    journal.read(0, record -> {
      JsonObject body = new JsonObject(Buffer.buffer(record.body()));
      JsonArray envelopes = body.getJsonArray("e");
      records[0]++;
      registry.resumeAt(record.firstSeq() - 1);
      if ("idle".equals(body.getString("k"))) {
        registry.closeIdle(body.getLong("at"));
      } else {
        long cause = body.getLong("in");
        for (int i = 0; i < envelopes.size(); i++) {
          JsonObject envelope = envelopes.getJsonObject(i);
          if (envelope.getLong("seq") == cause) {
            registry.apply(Json.event(envelope));
          }
        }
      }
      registry.resumeAt(record.lastSeq());
      if (record.lastSeq() <= windowStart) {
        return true; // older than the history window: only the registry needed it
      }
      for (int i = 0; i < envelopes.size(); i++) {
        JsonObject envelope = envelopes.getJsonObject(i);
        history.addAfterGap(envelope.getLong("seq"), envelope);
      }
      return true;
    });
    registry.resumeAt(Math.max(registry.seq(), journal.durableSeq()));
    return new Restored(registry, history, records[0]);
  }
}
