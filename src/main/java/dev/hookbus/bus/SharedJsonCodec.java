package dev.hookbus.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * For envelopes published to many local consumers (one per bridge subscription): the default JsonObject codec
 * deep-copies the body for every consumer; this one hands them all the same object. Safe because nobody mutates
 * an envelope once it is published. Over a cluster it travels like any JsonObject. Registered by {@link BusCodecs}.
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "hookbus.shared-json";
  /** Delivery options that select this codec. */
  public static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME);

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = Buffer.buffer(EncodedJson.encode(json));
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
