package dev.hookbus.state;

import dev.hookbus.bus.EncodedJson;
import dev.hookbus.config.SessionsConfig;
import dev.hookbus.model.EventJson;
import dev.hookbus.otlp.UsageRollup;
import dev.hookbus.store.JournalRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Rebuilds the registry and the history window from kept records, oldest first, whoever kept them (the journal or
 * the replicated log): each record's cause (the accepted event, or the idle sweep at its recorded clock) is applied
 * again from the seq it had. The registry is pure and deterministic, so with the same config it ends exactly where
 * it was; history gets the envelopes as browsers got them (cut by the {@link FieldCutter}), within its count and byte
 * bounds. Not thread-safe: one replay, one thread.
 */
public final class Replayer {
  private final SessionRegistry registry;
  private final History<String> history;
  private final FieldCutter cutter;
  private final long windowStart;
  private final long appliedSeq;
  /** What usage envelopes are folded into; none unless asked for when replaying onto a checkpoint. */
  private UsageRollup usage;
  private long records;

  /** @param lastSeq the last seq that will be offered (0 if unknown): older records skip the history window */
  public Replayer(SessionsConfig config, FieldCutter cutter, long lastSeq) {
    this.registry = new SessionRegistry(config.tables(), config.teams(), config.idleTimeoutMs());
    this.appliedSeq = 0;
    this.history = new History<>(config.historySize(), config.historyBytes());
    this.cutter = cutter;
    this.windowStart = lastSeq - config.historySize();
    this.usage = new UsageRollup(0);
  }

  /**
   * Replays onto a registry loaded from a checkpoint: only the records after it are read. The history window starts
   * empty at the checkpoint's seq and fills from there; anything older is read from the journal when asked for.
   */
  Replayer(SessionsConfig config, FieldCutter cutter, SessionRegistry fromCheckpoint) {
    this.registry = fromCheckpoint;
    this.appliedSeq = fromCheckpoint.seq();
    this.cutter = cutter;
    this.history = new History<>(config.historySize(), config.historyBytes());
    this.history.startAfter(appliedSeq);
    this.windowStart = appliedSeq;
  }

  /**
   * The usage rollup to bring up to date: the checkpoint's (as of its own seq, which may be a little behind the
   * registry's), or a new one, which every usage envelope read is folded into. Call before {@link #readFrom()}.
   */
  void foldUsageInto(UsageRollup rollup) {
    usage = rollup;
  }

  /** The first seq to read so that the registry, the history window and the usage rollup are complete. */
  long readFrom() {
    long usageSeq = usage == null ? appliedSeq : usage.seq();
    return Math.max(1, Math.min(Math.min(appliedSeq, usageSeq) + 1, windowStart + 1));
  }

  /** Replays one record; always true, so it can be handed to a reader as its visitor. */
  public boolean offer(JournalRecord record) {
    long usageSeq = usage == null ? Long.MAX_VALUE : usage.seq();
    if (record.lastSeq() <= appliedSeq && record.lastSeq() <= windowStart && record.lastSeq() <= usageSeq) {
      return true;
    }
    JsonObject body = new JsonObject(Buffer.buffer(record.body()));
    JsonArray envelopes = body.getJsonArray(Transition.ENVELOPES);
    records++;
    if (record.lastSeq() > usageSeq) {
      long folded = usageSeq;
      for (int i = 0; i < envelopes.size(); i++) {
        if (envelopes.getJsonObject(i).getLong("seq") > folded) {
          usage.fold(envelopes.getJsonObject(i));
        }
      }
    }
    if (record.lastSeq() > appliedSeq) {
      apply(record, body, envelopes);
    }
    if (record.lastSeq() > windowStart) {
      for (int i = 0; i < envelopes.size(); i++) {
        JsonObject cut = cutter.cut(envelopes.getJsonObject(i));
        String text = EncodedJson.encode(cut);
        history.addAfterGap(cut.getLong("seq"), text, EnvelopeBytes.ofText(text));
      }
    }
    return true;
  }

  private void apply(JournalRecord record, JsonObject body, JsonArray envelopes) {
    registry.resumeAt(record.firstSeq() - 1);
    if (Transition.IDLE.equals(body.getString(Transition.KIND))) {
      registry.closeIdle(body.getLong(Transition.IDLE_AT));
    } else if (Transition.USAGE.equals(body.getString(Transition.KIND))) {
      registry.usageUpdates(body.getLong(Transition.IDLE_AT));
    } else {
      long cause = body.getLong(Transition.CAUSE);
      for (int i = 0; i < envelopes.size(); i++) {
        JsonObject envelope = envelopes.getJsonObject(i);
        if (envelope.getLong("seq") == cause) {
          registry.apply(EventJson.event(envelope));
        }
      }
    }
    registry.resumeAt(record.lastSeq());
  }

  /** @param keptSeq the last seq the log knows to be kept, which may follow the last record (retention) */
  public Restored finish(long keptSeq) {
    registry.resumeAt(Math.max(registry.seq(), keptSeq));
    return new Restored(registry, history, records, usage == null ? new UsageRollup(0) : usage);
  }
}
