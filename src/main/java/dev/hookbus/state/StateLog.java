package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.EventQuery;
import dev.hookbus.store.JournalRecord;
import dev.hookbus.store.SyncStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the state actor keeps each transition before anyone sees it, chosen once at boot: the journal (a single
 * node), the replicated log (a cluster leader), or nothing. What is kept is the same everywhere, one
 * {@link JournalRecord} per transition, and {@link Replayer} rebuilds the state from it. Every method is called on
 * the actor's event loop, and every future completes there.
 */
public interface StateLog {

  /** Called once from the actor's start, on its context. */
  Future<Void> open(Vertx vertx);

  /** The registry and history (of envelopes cut by {@code cutter}) as of the last record kept. */
  Future<Restored> restore(SessionsConfig config, FieldCutter cutter);

  /** Completes once the records are safe; completions come in append order. */
  Future<Void> append(List<JournalRecord> records);

  /**
   * The kept envelopes with seq in {@code (after, until]}; empty when the log does not reach back that far (the
   * default: a log whose past cannot be read).
   */
  default Future<Optional<List<JsonObject>>> range(long after, long until, int max) {
    return Future.succeededFuture(Optional.empty());
  }

  /**
   * A page of past envelopes, cut by {@code cutter}; empty when the log keeps none to read (then the in-memory
   * window answers).
   */
  default Future<Optional<JsonObject>> query(EventQuery query, FieldCutter cutter) {
    return Future.succeededFuture(Optional.empty());
  }

  /** The first seq the log still holds (retention moves it on); 0 for a log that keeps no past to read. */
  default long firstSeq() {
    return 0;
  }

  /**
   * The kept {@code usage:metrics} and {@code usage:api-request} envelopes with seq in {@code [fromSeq, toSeq]}, whole;
   * empty when the log keeps none to read (the default).
   */
  default Future<Optional<List<JsonObject>>> usageEnvelopes(long fromSeq, long toSeq) {
    return Future.succeededFuture(Optional.empty());
  }

  /**
   * Saves the registry as of {@code seq} (already kept), so the next start replays only what follows; logs that
   * need none (nothing kept, or a cluster log) do nothing.
   */
  default Future<Void> checkpoint(long seq, JsonObject registry) {
    return Future.succeededFuture();
  }

  /** How many kept events may pass between two checkpoints; 0 for a log that takes none. */
  default long checkpointEvery() {
    return 0;
  }

  /** Changes whenever the seqs start again from 1 (a new, empty store). */
  String epoch();

  /** The journal's group commit figures (fsyncs, their time, appends); none for a log that does not fsync. */
  default SyncStats syncStats() {
    return SyncStats.NONE;
  }

  /** Drops what is older than the retention settings; nothing for logs without retention (the default). */
  default void enforceRetention(long nowMs) {
  }

  /** Completes once everything appended is safe; later appends fail. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Keeps nothing: a single node with {@code store.enabled=false}. */
  static StateLog none() {
    String epoch = UUID.randomUUID().toString();
    return new StateLog() {
      @Override
      public Future<Void> open(Vertx vertx) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Restored> restore(SessionsConfig config, FieldCutter cutter) {
        return Future.succeededFuture(new Replayer(config, cutter, 0).finish(0));
      }

      @Override
      public Future<Void> append(List<JournalRecord> records) {
        return Future.succeededFuture();
      }

      @Override
      public String epoch() {
        return epoch;
      }
    };
  }
}
