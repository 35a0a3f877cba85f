package dev.hookbus.state;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Where the state actor puts each operation ({@code {"events":[…]}} or {@code {"idleAt": ms}}) before anyone
 * sees its effect: the actor applies an operation at once, then publishes and replies only when {@link #append}
 * completes. Replaying the operations in order rebuilds the same registry and seqs: the registry is deterministic.
 */
public interface StateLog {

  /** Keeps nothing: single-node hookbus without a journal. */
  StateLog NONE = new StateLog() {
    @Override
    public List<JsonObject> recovered() {
      return List.of();
    }

    @Override
    public Future<Void> append(JsonObject op) {
      return Future.succeededFuture();
    }
  };

  /** The operations to replay at start, oldest first. */
  List<JsonObject> recovered();

  /** Completes once the operation is safe; completions come in append order and never fail. */
  Future<Void> append(JsonObject op);
}
