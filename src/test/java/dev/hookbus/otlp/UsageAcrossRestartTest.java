package dev.hookbus.otlp;

import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.hookbus.otlp.OtlpBodies.event;
import static dev.hookbus.otlp.OtlpBodies.point;
import static dev.hookbus.support.Await.result;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class UsageAcrossRestartTest {
  private static final String COST = "claude_code.cost.usage";
  private static final String TOKENS = "claude_code.token.usage";
  private static final String OPUS = "claude-opus-4-5";
  private static final String HAIKU = "claude-haiku-4-5";

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  private void protobuf(TestServer server, com.google.protobuf.Message body) {
    int status = result(server.http().post(server.ingestPort(), "127.0.0.1", "/v1/metrics")
        .putHeader("content-type", "application/x-protobuf").sendBuffer(Buffer.buffer(body.toByteArray())))
        .statusCode();
    assertThat(status).isEqualTo(200);
  }

  private void logs(TestServer server, String json) {
    int status = result(server.http().post(server.ingestPort(), "127.0.0.1", "/v1/logs")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json))).statusCode();
    assertThat(status).isEqualTo(200);
  }

  private static JsonObject row(JsonObject report, String name, String key) {
    JsonArray rows = report.getJsonArray("rows");
    return rows.stream().map(JsonObject.class::cast).filter(r -> key.equals(r.getString(name))).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + key + " in " + report.encode()));
  }

  @Test
  @DisplayName("/api/usage by session, model and day comes from the journal: the same after a restart and after "
      + "the session ended, with the exit flush that follows SessionEnd counted, and cumulative state kept")
  void usageSurvivesRestart() {
    TestServer.Options options = TestServer.options().store(dir);
    TestServer first = options.start(vertx);
    protobuf(first, OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point(COST, "u-1", OPUS, null, 1.5, 1), point(TOKENS, "u-1", OPUS, "input", 100, 1),
        point(COST, "u-2", HAIKU, null, 0.2, 1)));
    protobuf(first, OtlpBodies.metrics(AGGREGATION_TEMPORALITY_CUMULATIVE, point(COST, "u-3", HAIKU, null, 0.4, 1)));
    logs(first, OtlpBodies.logsJson(List.of(
        event("api_request", "session.id", "u-1", "model", OPUS, "cost_usd", "1.5", "input_tokens", "100"),
        event("api_request", "session.id", "u-4", "model", HAIKU, "cost_usd", "0.01", "output_tokens", "7"))));
    first.postEvent("session:end", new JsonObject().put("sessionId", "u-2"));
    // Claude Code's export at exit comes after SessionEnd: it counts, and does not open u-2 again
    protobuf(first, OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA, point(COST, "u-2", HAIKU, null, 0.1, 2)));
    assertThat(first.sessions().getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .map(s -> s.getString("sessionId"))).containsExactlyInAnyOrder("u-1", "u-3", "u-4");
    JsonObject before = first.get("/api/usage?by=session").bodyAsJsonObject();
    first.stop();

    TestServer second = options.start(vertx);
    JsonObject after = second.get("/api/usage?by=session").bodyAsJsonObject();
    assertThat(after).isEqualTo(before);
    assertThat(row(after, "session", "u-1").getDouble("costUsd")).isCloseTo(1.5, within(1e-9));
    assertThat(row(after, "session", "u-1").getLong("apiRequests")).isEqualTo(1);
    assertThat(row(after, "session", "u-2").getDouble("costUsd")).isCloseTo(0.3, within(1e-9));
    assertThat(row(after, "session", "u-4").getDouble("costUsd")).isCloseTo(0.01, within(1e-9));
    assertThat(after.getJsonObject("total").getDouble("costUsd")).isCloseTo(1.5 + 0.3 + 0.4 + 0.01, within(1e-9));

    JsonObject byModel = second.get("/api/usage?by=model").bodyAsJsonObject();
    assertThat(row(byModel, "model", OPUS).getJsonObject("tokens").getLong("input")).isEqualTo(100);
    assertThat(row(byModel, "model", HAIKU).getDouble("costUsd")).isCloseTo(0.71, within(1e-9));
    JsonArray days = second.get("/api/usage?by=day").bodyAsJsonObject().getJsonArray("rows");
    assertThat(days).hasSize(1);
    assertThat(second.get("/api/usage?by=week").statusCode()).isEqualTo(400);
    assertThat(second.get("/api/usage?since=" + (System.currentTimeMillis() + 60_000)).bodyAsJsonObject()
        .getJsonArray("rows")).isEmpty();

    // the live state came back too, cumulative series included: the next cumulative point adds only its growth
    protobuf(second, OtlpBodies.metrics(AGGREGATION_TEMPORALITY_CUMULATIVE, point(COST, "u-3", HAIKU, null, 0.5, 2)));
    JsonObject u3 = second.sessions().getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> "u-3".equals(s.getString("sessionId"))).findFirst().orElseThrow();
    assertThat(u3.getDouble("costUsd")).isCloseTo(0.5, within(1e-9));
    String scrape = second.get("/metrics").bodyAsString();
    assertThat(scrape).contains("hookbus_claude_cost_usd_total{model=\"" + OPUS + "\"} 1.5");
  }
}
