package dev.hookbus.ingest;

import dev.hookbus.bus.Addresses;
import dev.hookbus.config.AppConfig;
import dev.hookbus.support.Eventually;
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

import java.time.Duration;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  @Test
  @DisplayName("stopping ingest lets the request in flight finish and answers new ones 503 SHUTTING_DOWN or not at all")
  void inFlightFinishes(Vertx vertx) {
    dev.hookbus.bus.BusCodecs.register(vertx.eventBus());
    Promise<Message<JsonObject>> held = Promise.promise();
    result(vertx.eventBus().<JsonObject>consumer(Addresses.STATE_APPLY, held::tryComplete).completion());
    HttpIngestVerticle ingest = new HttpIngestVerticle(AppConfig.defaults().onFreePorts().ingest(), "http://x/",
        dev.hookbus.metrics.HookbusMetrics.create(), 5_000);
    String id = result(vertx.deployVerticle(ingest));
    WebClient client = WebClient.create(vertx);
    Buffer event = Buffer.buffer("{\"type\":\"tool:pre\",\"payload\":{\"sessionId\":\"s1\"}}");

    result(Future.all(client.get(ingest.actualPort(), "127.0.0.1", "/health").send(),
        client.get(ingest.actualPort(), "127.0.0.1", "/health").send())); // two pooled keep-alive connections
    Future<HttpResponse<Buffer>> inFlight = client.post(ingest.actualPort(), "127.0.0.1", "/api/events")
        .sendBuffer(event);
    Message<JsonObject> request = result(held.future());
    Future<String> stopped = vertx.undeploy(id).map("stopped");
    // stop() runs on the verticle's event loop some time after undeploy(): wait until ingest says so (or refuses).
    waitUntilStopping(vertx, client, ingest.actualPort());
    Future<HttpResponse<Buffer>> late = client.post(ingest.actualPort(), "127.0.0.1", "/api/events")
        .sendBuffer(event);
    String outcome = result(late.map("answered").otherwise("refused"));
    LoggerFactory.getLogger(GracefulShutdownTest.class).info("request during shutdown: {}", outcome);
    if (outcome.equals("answered")) {
      assertThat(late.result().statusCode()).isEqualTo(503);
      assertThat(late.result().bodyAsJsonObject().getString("code")).isEqualTo("SHUTTING_DOWN");
    }
    assertThat(stopped.isComplete()).isFalse();
    request.reply(new JsonObject().put("seqs", new JsonArray().add(1)));
    assertThat(result(inFlight).bodyAsJsonObject().getLong("seq")).isEqualTo(1);
    result(stopped);
  }

  private static void waitUntilStopping(Vertx vertx, WebClient client, int port) {
    result(Eventually.until(vertx, () -> client.get(port, "127.0.0.1", "/health/live").send()
            .map(r -> r.statusCode() == 503 ? "stopping" : "up").otherwise("refused"),
        answer -> !answer.equals("up"), Duration.ofSeconds(5)));
  }
}
