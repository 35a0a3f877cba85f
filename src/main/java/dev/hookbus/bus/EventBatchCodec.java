package dev.hookbus.bus;

import dev.hookbus.model.EventBatch;
import dev.hookbus.model.EventJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Ingest hands the state actor its parsed events as they are: on the local bus the very object (events are
 * immutable records), across a cluster as JSON. Registered by {@link BusCodecs}.
 */
final class EventBatchCodec implements MessageCodec<EventBatch, EventBatch> {
  @Override
  public void encodeToWire(Buffer buffer, EventBatch batch) {
    Buffer encoded = EventJson.batch(batch).toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public EventBatch decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return EventJson.batch(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
  }

  @Override
  public EventBatch transform(EventBatch batch) {
    return batch;
  }

  @Override
  public String name() {
    return "hookbus.event-batch";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
