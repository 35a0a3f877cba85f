package dev.hookbus.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class SharedJsonCodecTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  @DisplayName("every local consumer of a publish gets the same envelope object, not a copy each")
  void sharedLocally() {
    SharedJsonCodec.register(vertx.eventBus());
    SharedJsonCodec.register(vertx.eventBus());
    Promise<JsonObject> first = Promise.promise();
    Promise<JsonObject> second = Promise.promise();
    result(vertx.eventBus().<JsonObject>consumer("a", m -> first.tryComplete(m.body())).completion());
    result(vertx.eventBus().<JsonObject>consumer("a", m -> second.tryComplete(m.body())).completion());
    JsonObject envelope = new JsonObject().put("seq", 1).put("payload", new JsonObject().put("k", "v"));

    vertx.eventBus().publish("a", envelope, SharedJsonCodec.DELIVERY);

    result(Future.all(first.future(), second.future()));
    assertThat(first.future().result()).isSameAs(envelope);
    assertThat(second.future().result()).isSameAs(envelope);
  }

  @Test
  @DisplayName("over the wire it travels as JSON")
  void wire() {
    SharedJsonCodec codec = new SharedJsonCodec();
    JsonObject envelope = new JsonObject().put("seq", 7).put("payload", new JsonObject().put("text", "ü\"x"));
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, envelope);

    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(envelope);
  }
}
