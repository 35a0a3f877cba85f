package dev.hookbus.state;

import dev.hookbus.bus.FailureCode;
import dev.hookbus.model.EventJson;
import dev.hookbus.model.Snapshot;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The {@code hookbus.sync} requests of the state actor. A snapshot may only show what is kept: it is taken when the
 * sync arrives and sent once everything up to its seq is kept (at once when nothing is in flight). New events are
 * never held back for it, so it is answered under any load. After a rebuild the waiting syncs get the rebuilt state
 * instead. On the actor's event loop only.
 */
final class Syncs {
  /** Past this many waiting, a sync is refused as OVERLOADED. */
  static final int MAX_PENDING = 10_000;

  private record Pending(Snapshot snapshot, Message<Object> message) {
  }

  private final Keeper keeper;
  private Deque<Pending> pending = new ArrayDeque<>();
  private Snapshot last;

  Syncs(Keeper keeper) {
    this.keeper = keeper;
  }

  void add(Message<Object> message) {
    if (pending.size() >= MAX_PENDING) {
      message.fail(FailureCode.OVERLOADED.code(), "too many snapshots waiting; retry shortly");
      return;
    }
    pending.add(new Pending(snapshotNow(), message));
    answer();
  }

  /** After envelopes were published: answers the syncs whose snapshot is now kept. */
  void answer() {
    Snapshot answered = null;
    JsonObject json = null;
    while (!pending.isEmpty() && !keeper.recovering() && pending.peek().snapshot().seq() <= keeper.publishedSeq()) {
      Pending next = pending.poll();
      if (next.snapshot() != answered) {
        answered = next.snapshot();
        json = EventJson.snapshot(answered).put("epoch", keeper.epoch());
      }
      next.message().reply(json);
    }
  }

  /** After a rebuild from the log: every waiting sync gets the rebuilt state. */
  void rebuilt() {
    last = null;
    Deque<Pending> retaken = new ArrayDeque<>(pending.size());
    pending.forEach(p -> retaken.add(new Pending(snapshotNow(), p.message())));
    pending = retaken;
    answer();
  }

  int size() {
    return pending.size();
  }

  private Snapshot snapshotNow() {
    if (last == null || last.seq() != keeper.registry().seq()) {
      last = keeper.registry().snapshot();
    }
    return last;
  }
}
