package dev.hookbus.otlp;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.TestServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.hookbus.otlp.OtlpBodies.event;
import static dev.hookbus.otlp.OtlpBodies.point;
import static dev.hookbus.support.Await.result;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OtlpReceiverTest {
  private static final String COST = "claude_code.cost.usage";
  private static final String TOKENS = "claude_code.token.usage";
  private static final String SONNET = "claude-sonnet-4-5";
  private static final String HAIKU = "claude-haiku-4-5";

  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, new JsonObject().put("ingest", new JsonObject().put("maxBodyBytes", 65536)));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private HttpResponse<Buffer> post(String path, String contentType, Buffer body) {
    return result(server.http().post(server.ingestPort(), "127.0.0.1", path)
        .putHeader("content-type", contentType).sendBuffer(body));
  }

  private HttpResponse<Buffer> protobuf(String path, com.google.protobuf.Message body) {
    return post(path, "application/x-protobuf", Buffer.buffer(body.toByteArray()));
  }

  private HttpResponse<Buffer> json(String path, String body) {
    return post(path, "application/json", Buffer.buffer(body));
  }

  private JsonObject session(String id) {
    return server.sessions().getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> id.equals(s.getString("sessionId"))).findFirst().orElseThrow();
  }

  private JsonObject settledSession(String id, java.util.function.Predicate<JsonObject> condition) {
    return result(server.eventually(() -> vertx.executeBlocking(() -> session(id)), condition));
  }

  @Test
  @DisplayName("protobuf delta sums of two sessions and two models, interleaved, add up per session and model")
  void protobufDeltaSums() throws Exception {
    HttpResponse<Buffer> first = protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point(COST, "s-a", SONNET, null, 0.25, 1),
        point(COST, "s-b", HAIKU, null, 0.01, 1),
        point(TOKENS, "s-a", SONNET, "input", 1000, 1),
        point(TOKENS, "s-a", SONNET, "output", 200, 1),
        point("claude_code.some_future.metric", "s-a", SONNET, null, 99, 1)));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.getHeader("content-type")).isEqualTo("application/x-protobuf");
    // an empty response message is zero bytes on the wire
    byte[] answer = first.body() == null ? new byte[0] : first.body().getBytes();
    assertThat(ExportMetricsServiceResponse.parseFrom(answer).hasPartialSuccess()).isFalse();

    protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point(COST, "s-b", HAIKU, null, 0.02, 11),
        point(COST, "s-a", HAIKU, null, 0.05, 11),
        point(COST, "s-a", SONNET, null, 0.25, 11),
        point(TOKENS, "s-a", SONNET, "cacheRead", 5000, 11),
        point(TOKENS, "s-b", HAIKU, "input", 300, 11)));

    JsonObject a = session("s-a");
    assertThat(a.getDouble("costUsd")).isCloseTo(0.55, within(1e-9));
    JsonObject usage = a.getJsonObject("usage");
    assertThat(usage.getString("costSource")).isEqualTo("metrics");
    assertThat(usage.getString("tokenSource")).isEqualTo("metrics");
    assertThat(usage.getJsonObject("tokens")).isEqualTo(new JsonObject()
        .put("input", 1000).put("output", 200).put("cacheRead", 5000).put("cacheCreation", 0));
    assertThat(usage.getJsonObject("byModel").getJsonObject(SONNET).getDouble("costUsd")).isCloseTo(0.5, within(1e-9));
    assertThat(usage.getJsonObject("byModel").getJsonObject(HAIKU).getDouble("costUsd")).isCloseTo(0.05, within(1e-9));
    JsonObject b = session("s-b");
    assertThat(b.getDouble("costUsd")).isCloseTo(0.03, within(1e-9));
    assertThat(b.getJsonObject("usage").getJsonObject("tokens").getLong("input")).isEqualTo(300);
  }

  @Test
  @DisplayName("JSON as Claude Code sends it: a cumulative series that starts again lower is a reset, not a loss")
  void jsonCumulativeReset() {
    String path = "/v1/metrics";
    assertThat(json(path, OtlpBodies.metricsJson(2, point(COST, "s-c", SONNET, null, 0.10, 10))).statusCode())
        .isEqualTo(200);
    json(path, OtlpBodies.metricsJson(2, point(COST, "s-c", SONNET, null, 0.30, 20)));
    // Claude Code restarted: the series begins again
    json(path, OtlpBodies.metricsJson(2, point(COST, "s-c", SONNET, null, 0.05, 30)));
    json(path, OtlpBodies.metricsJson(2, point(COST, "s-c", SONNET, null, 0.07, 40)));
    assertThat(session("s-c").getDouble("costUsd")).isCloseTo(0.30 + 0.07, within(1e-9));
  }

  @Test
  @DisplayName("api_request log events (numbers as strings) count requests; api_error marks the session; "
      + "a rejected tool clears the permission wait")
  void logEvents() {
    server.postEvent("permission:request", new JsonObject().put("sessionId", "s-d").put("toolName", "Bash"));
    assertThat(session("s-d").getString("status")).isEqualTo("waiting");
    HttpResponse<Buffer> response = json("/v1/logs", OtlpBodies.logsJson(List.of(
        event("api_request", "session.id", "s-d", "model", SONNET, "cost_usd", "0.0123", "input_tokens", "10",
            "output_tokens", "20", "cache_read_tokens", "300", "cache_creation_tokens", "40", "duration_ms", "1500"),
        event("user_prompt", "session.id", "s-d", "prompt_length", "12"),
        event("api_error", "session.id", "s-d", "model", SONNET, "error", "overloaded", "status_code", "529"),
        event("tool_decision", "session.id", "s-d", "tool_name", "Bash", "decision", "reject",
            "source", "user_reject"))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject());

    JsonObject d = session("s-d");
    assertThat(d.getString("status")).isEqualTo("active");
    assertThat(d.getString("model")).isEqualTo(SONNET);
    // a background call on another model does not change the session's
    json("/v1/logs", OtlpBodies.logsJson(List.of(event("api_request", "session.id", "s-d", "model", HAIKU,
        "cost_usd", "0.001"))));
    assertThat(session("s-d").getString("model")).isEqualTo(SONNET);
    assertThat(session("s-d").getJsonObject("usage").getJsonObject("byModel").fieldNames())
        .containsExactlyInAnyOrder(SONNET, HAIKU);
    assertThat(d.getDouble("costUsd")).isCloseTo(0.0123, within(1e-9));
    JsonObject usage = d.getJsonObject("usage");
    assertThat(usage.getString("costSource")).isEqualTo("api-requests");
    assertThat(usage.getLong("apiRequests")).isEqualTo(1);
    assertThat(usage.getLong("apiErrors")).isEqualTo(1);
    assertThat(usage.getJsonObject("lastApiError").getString("statusCode")).isEqualTo("529");
    assertThat(usage.getJsonObject("tokens")).isEqualTo(new JsonObject()
        .put("input", 10).put("output", 20).put("cacheRead", 300).put("cacheCreation", 40));
  }

  @Test
  @DisplayName("metric sums win over api_request events once they arrive, cost and tokens each; the status line's "
      + "cost counts only without either")
  void metricsWinOverRequestsAndStatusLine() {
    server.postEvent("context:update", new JsonObject().put("sessionId", "s-e").put("percent", 10)
        .put("costUsd", 9.99));
    assertThat(session("s-e").getDouble("costUsd")).isEqualTo(9.99);
    json("/v1/logs", OtlpBodies.logsJson(List.of(
        event("api_request", "session.id", "s-e", "model", SONNET, "cost_usd", "0.5", "input_tokens", "40"))));
    assertThat(session("s-e").getDouble("costUsd")).isEqualTo(0.5);
    protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA, point(COST, "s-e", SONNET, null, 0.6, 1)));
    JsonObject e = session("s-e");
    assertThat(e.getDouble("costUsd")).isEqualTo(0.6);
    // cost points only: the tokens still come from the api_request events
    assertThat(e.getJsonObject("usage").getString("tokenSource")).isEqualTo("api-requests");
    assertThat(e.getJsonObject("usage").getJsonObject("tokens").getLong("input")).isEqualTo(40);
    assertThat(e.getJsonObject("usage").getLong("apiRequests")).isEqualTo(1);
    assertThat(e.getJsonObject("usage").getJsonObject("byModel").getJsonObject(SONNET).getLong("apiRequests"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("subscribers get usage:metrics with each point's delta and one coalesced usage:update")
  void envelopes() {
    BridgeClient client = result(server.rawWebSocket());
    result(client.register("hookbus.sessions.s-f"));
    // A register has no answer; the bridge handles a socket's frames in order, so this reply says it is in place.
    result(client.request(Addresses.SYNC, new JsonObject()));
    for (int i = 1; i <= 5; i++) {
      protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_CUMULATIVE,
          point(COST, "s-f", SONNET, null, 0.1 * i, i)));
    }
    List<JsonObject> got = result(client.await("hookbus.sessions.s-f", bodies -> bodies.stream()
        .anyMatch(b -> "usage:update".equals(b.getString("type"))
            && Math.abs(b.getJsonObject("payload").getDouble("costUsd") - 0.5) < 1e-9)));
    List<JsonObject> metrics = got.stream().filter(b -> "usage:metrics".equals(b.getString("type"))).toList();
    assertThat(metrics).hasSize(5);
    for (JsonObject m : metrics) {
      assertThat(m.getJsonObject("payload").getJsonArray("points").getJsonObject(0).getDouble("delta"))
          .isCloseTo(0.1, within(1e-9));
    }
    assertThat(got.get(0).getString("type")).isEqualTo("session:start");
    assertThat(got.get(0).getJsonObject("payload").getBoolean("autoOpened")).isTrue();
    long updates = got.stream().filter(b -> "usage:update".equals(b.getString("type"))).count();
    assertThat(updates).isLessThanOrEqualTo(5);
    JsonObject last = got.stream().filter(b -> "usage:update".equals(b.getString("type"))).reduce((x, y) -> y)
        .orElseThrow();
    assertThat(last.getJsonObject("payload").getJsonObject("usage").getString("costSource")).isEqualTo("metrics");
  }

  @Test
  @DisplayName("points without session.id are a partial success; traces are accepted and counted")
  void partialSuccessAndTraces() {
    String body = OtlpBodies.metricsJson(1, point(COST, "s-g", SONNET, null, 0.1, 1))
        .replace("{\"key\":\"session.id\",\"value\":{\"stringValue\":\"s-g\"}}",
            "{\"key\":\"other\",\"value\":{\"stringValue\":\"x\"}}");
    HttpResponse<Buffer> partial = json("/v1/metrics", body);
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(partial.bodyAsJsonObject().getJsonObject("partialSuccess").getString("rejectedDataPoints"))
        .isEqualTo("1");

    ExportTraceServiceRequest traces = ExportTraceServiceRequest.newBuilder().addResourceSpans(
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setName("claude_code.interaction"))
            .addSpans(Span.newBuilder().setName("claude_code.llm_request")))).build();
    assertThat(protobuf("/v1/traces", traces).statusCode()).isEqualTo(200);
    assertThat(server.get("/metrics").bodyAsString()).contains("hookbus_otlp_spans_total 2.0");
  }

  @Test
  @DisplayName("bad bodies: 415 for another type, 400 with a Status in the request's encoding, 413; still serving")
  void badBodies() throws Exception {
    HttpResponse<Buffer> text = post("/v1/metrics", "text/plain", Buffer.buffer("hello"));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.bodyAsJsonObject().getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

    HttpResponse<Buffer> badJson = json("/v1/logs", "{\"resourceLogs\":[{\"scopeLogs\":");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.getHeader("content-type")).isEqualTo("application/json");
    assertThat(badJson.bodyAsJsonObject().getInteger("code")).isEqualTo(3);
    assertThat(badJson.bodyAsJsonObject().getString("message")).contains("ExportLogsServiceRequest");

    byte[] whole = OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA, point(COST, "s-h", SONNET, null, 1, 1))
        .toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 7);
    HttpResponse<Buffer> cut = post("/v1/metrics", "application/x-protobuf", Buffer.buffer(truncated));
    assertThat(cut.statusCode()).isEqualTo(400);
    assertThat(cut.getHeader("content-type")).isEqualTo("application/x-protobuf");
    // google.rpc.Status: field 1 (code) = 3
    assertThat(cut.body().getByte(0)).isEqualTo((byte) 0x08);
    assertThat(cut.body().getByte(1)).isEqualTo((byte) 3);

    HttpResponse<Buffer> huge = post("/v1/metrics", "application/x-protobuf", Buffer.buffer(new byte[100_000]));
    assertThat(huge.statusCode()).isEqualTo(413);

    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    assertThat(protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point(COST, "s-h", SONNET, null, 1, 1))).statusCode()).isEqualTo(200);
    assertThat(session("s-h").getDouble("costUsd")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("/metrics has Claude Code's cost and tokens by model as counters")
  void prometheusCounters() {
    protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point(COST, "s-i", SONNET, null, 0.75, 1), point(TOKENS, "s-i", SONNET, "output", 42, 1)));
    String scrape = server.get("/metrics").bodyAsString();
    assertThat(scrape).contains("hookbus_claude_cost_usd_total{model=\"" + SONNET + "\"} 0.75");
    assertThat(scrape).contains("hookbus_claude_tokens_total{model=\"" + SONNET + "\",type=\"output\"} 42.0");
  }

  @Test
  @DisplayName("/api/usage asked again adds what came since, and only that")
  void usageAskedAgain() {
    protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA, point(COST, "s-j", SONNET, null, 1.0, 1)));
    assertThat(server.get("/api/usage").bodyAsJsonObject().getJsonObject("total").getDouble("costUsd")).isEqualTo(1.0);
    server.postEvent("tool:pre", new JsonObject().put("sessionId", "s-j").put("toolName", "Bash"));
    protobuf("/v1/metrics", OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA, point(COST, "s-j", SONNET, null, 0.5, 2)));
    json("/v1/logs", OtlpBodies.logsJson(List.of(event("api_request", "session.id", "s-j", "model", SONNET))));
    JsonObject again = server.get("/api/usage").bodyAsJsonObject();
    assertThat(again.getJsonObject("total").getDouble("costUsd")).isEqualTo(1.5);
    assertThat(again.getJsonObject("total").getLong("apiRequests")).isEqualTo(1);
    assertThat(server.get("/api/usage").bodyAsJsonObject()).isEqualTo(again);
  }
}
