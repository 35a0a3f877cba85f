package dev.hookbus.store;

import dev.hookbus.state.History;
import dev.hookbus.state.SessionRegistry;
import io.vertx.core.json.JsonObject;

/** State rebuilt from the journal: the registry at the journal's last seq and the history window. */
public record Restored(SessionRegistry registry, History<JsonObject> history, long records) {
}
