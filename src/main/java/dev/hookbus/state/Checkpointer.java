package dev.hookbus.state;

import dev.hookbus.config.SessionsConfig;
import dev.hookbus.otlp.UsageRollup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * When the {@link Keeper} saves the registry in its log's checkpoint: every {@code checkpointEvery} events, and at a
 * clean stop, so a start replays only what follows. A checkpoint is taken at the registry's seq and written once
 * that seq is kept (writes may be in flight), so it never shows more than is kept. On the actor's event loop only.
 */
final class Checkpointer {
  /** A checkpoint taken and not written yet ({@code registry} null once the write started). */
  private record Pending(long seq, int generation, JsonObject registry) {
  }

  private final StateLog log;
  private final SessionsConfig config;
  /** The usage rollup, saved beside the registry as of its own (published) seq. */
  private final Supplier<JsonObject> usage;
  private Pending pending;
  /** The seq of the last checkpoint written or tried. */
  private long checkpointedSeq;
  private int generation;

  Checkpointer(StateLog log, SessionsConfig config, Supplier<JsonObject> usage) {
    this.log = log;
    this.config = config;
    this.usage = usage;
  }

  /** The state was (re)built from the log at {@code seq}: what was pending belonged to the old state. */
  void restored(long seq) {
    checkpointedSeq = seq;
    pending = null;
    generation++;
  }

  /** After envelopes went out, up to {@code publishedSeq}: takes a checkpoint when one is due, writes it once kept. */
  void published(SessionRegistry registry, long publishedSeq) {
    long every = log.checkpointEvery();
    if (every > 0 && pending == null && registry.seq() - checkpointedSeq >= every) {
      pending = new Pending(registry.seq(), generation, save(registry));
    }
    Pending due = pending;
    if (due == null || due.seq() > publishedSeq || due.registry() == null) {
      return;
    }
    pending = new Pending(due.seq(), due.generation(), null);
    log.checkpoint(due.seq(), due.registry()).onComplete(done -> {
      if (due.generation() == generation) {
        checkpointedSeq = due.seq(); // after a failure too: the next try comes after another checkpointEvery
        pending = null;
      }
    });
  }

  private JsonObject save(SessionRegistry registry) {
    return RegistryCheckpoint.save(registry, config, log.epoch()).put(UsageRollup.CHECKPOINT_KEY, usage.get());
  }

  /** At a clean stop with everything kept: the last checkpoint, so the next start replays nothing. */
  Future<Void> last(SessionRegistry registry) {
    return log.checkpointEvery() > 0 && registry.seq() > checkpointedSeq
        ? log.checkpoint(registry.seq(), save(registry))
        : Future.succeededFuture();
  }
}
