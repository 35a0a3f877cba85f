package dev.hookbus.bus;

import dev.hookbus.model.Event;
import dev.hookbus.model.EventBatch;
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
    BusCodecs.register(vertx.eventBus());
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

  @Test
  @DisplayName("an event batch reaches the local consumer as the very object ingest sent, and crosses a wire as JSON")
  void eventBatch() {
    BusCodecs.register(vertx.eventBus());
    EventBatch batch = new EventBatch(java.util.List.of(new Event("tool:pre", 5, 6, "s1", null,
        java.util.Map.of("sessionId", "s1", "toolName", "Bash", "text", "ü\"x"))));
    Promise<EventBatch> got = Promise.promise();
    result(vertx.eventBus().<EventBatch>consumer("b", m -> got.tryComplete(m.body())).completion());

    vertx.eventBus().send("b", batch);

    assertThat(result(got.future())).isSameAs(batch);
    EventBatchCodec codec = new EventBatchCodec();
    Buffer wire = Buffer.buffer().appendString("xy");
    codec.encodeToWire(wire, batch);
    assertThat(codec.decodeFromWire(2, wire)).isEqualTo(batch);
  }
}
