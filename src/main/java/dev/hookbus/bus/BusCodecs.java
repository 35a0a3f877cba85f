package dev.hookbus.bus;

import dev.hookbus.model.EventBatch;
import io.vertx.core.eventbus.EventBus;

/** The codecs hookbus's messages need, registered once per event bus by whoever creates the Vert.x it runs on. */
public final class BusCodecs {
  private BusCodecs() {
  }

  public static void register(EventBus bus) {
    bus.registerCodec(new SharedJsonCodec());
    bus.registerDefaultCodec(EventBatch.class, new EventBatchCodec());
  }

  /** For a composition root that stops while its Vert.x goes on (tests start hookbus again on the same one). */
  public static void unregister(EventBus bus) {
    bus.unregisterCodec(SharedJsonCodec.NAME);
    bus.unregisterDefaultCodec(EventBatch.class);
  }
}
