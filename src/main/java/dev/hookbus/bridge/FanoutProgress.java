package dev.hookbus.bridge;

import dev.hookbus.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Tells the state actor how far this bridge instance has got through {@code hookbus.events}. Its consumer runs on
 * the bridge's event loop behind the deliveries to the sockets, so when the fan-out falls behind, so does the seq
 * it reports; the actor compares it with what it published ({@link Addresses#FANOUT_PROGRESS}).
 */
final class FanoutProgress {
  private static final int EVERY_ENVELOPES = 32;
  private static final long EVERY_MS = 100;

  private final Vertx vertx;
  private final String id = UUID.randomUUID().toString();
  private long seq;
  private long reportedSeq = -1;

  private FanoutProgress(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts reporting on the calling verticle's context; stops with it. */
  static Future<Void> start(Vertx vertx) {
    FanoutProgress progress = new FanoutProgress(vertx);
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(Addresses.EVENTS, message -> {
      if (message.body() instanceof JsonObject envelope && envelope.getValue("seq") instanceof Number n) {
        progress.seen(n.longValue());
      }
    });
    vertx.setPeriodic(EVERY_MS, timer -> progress.report());
    return consumer.completion();
  }

  private void seen(long envelopeSeq) {
    seq = envelopeSeq;
    if (seq - reportedSeq >= EVERY_ENVELOPES) {
      report();
    }
  }

  /** Nothing before the first envelope: a bridge that has seen none cannot be behind. */
  private void report() {
    if (seq == 0) {
      return;
    }
    reportedSeq = seq;
    vertx.eventBus().send(Addresses.FANOUT_PROGRESS, new JsonObject().put("bridge", id).put("seq", seq));
  }
}
