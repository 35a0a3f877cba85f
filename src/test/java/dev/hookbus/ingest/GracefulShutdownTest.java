package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import static dev.hookbus.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  @Test
  @DisplayName("stopping ingest lets the request in flight finish and answers new ones 503 SHUTTING_DOWN or not at all")
  void inFlightFinishes(Vertx vertx) {
    Promise<Message<JsonObject>> held = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.STATE_APPLY, held::tryComplete).completion());
    HttpIngestVerticle ingest = new HttpIngestVerticle(AppConfig.defaults().onFreePorts().ingest(), "http://x/", 5_000);
    String id = await(vertx.deployVerticle(ingest));
    WebClient client = WebClient.create(vertx);
    Buffer event = Buffer.buffer("{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":\"s1\"}}");

    await(Future.all(client.get(ingest.actualPort(), "127.0.0.1", "/health").send(),
        client.get(ingest.actualPort(), "127.0.0.1", "/health").send())); // two pooled keep-alive connections
    Future<HttpResponse<Buffer>> inFlight = client.post(ingest.actualPort(), "127.0.0.1", "/api/events")
        .sendBuffer(event);
    Message<JsonObject> request = await(held.future());
    Future<String> stopped = vertx.undeploy(id).map("stopped");
    Future<HttpResponse<Buffer>> late = client.post(ingest.actualPort(), "127.0.0.1", "/api/events")
        .sendBuffer(event);
    String outcome = await(late.map("answered").otherwise("refused"));
    LoggerFactory.getLogger(GracefulShutdownTest.class).info("request during shutdown: {}", outcome);
    if (outcome.equals("answered")) {
      assertThat(late.result().statusCode()).isEqualTo(503);
      assertThat(late.result().bodyAsJsonObject().getString("code")).isEqualTo("SHUTTING_DOWN");
    }
    assertThat(stopped.isComplete()).isFalse();
    request.reply(new JsonObject().put("seqs", new JsonArray().add(1)));
    assertThat(await(inFlight).bodyAsJsonObject().getLong("seq")).isEqualTo(1);
    await(stopped);
  }
}
