package dev.hookbus.state;

import io.vertx.core.json.JsonObject;

/** State rebuilt from a log: the registry at the log's last seq, the history window, and how many records it took. */
public record Restored(SessionRegistry registry, History<JsonObject> history, long records) {
}
