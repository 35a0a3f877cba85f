package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.otlp.OtlpBodies;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.hookbus.otlp.OtlpBodies.event;
import static dev.hookbus.otlp.OtlpBodies.point;
import static dev.hookbus.support.Await.result;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One session's hook bodies and OTLP bodies, interleaved as Claude Code sends them: the card shows the cost and
 * tokens OTel gave, the header today's total, the chart its bar, and a click on the card lists the API requests.
 */
@ExtendWith(VertxExtension.class)
class DashboardUsageTest {
  private static final String SONNET = "claude-sonnet-4-5";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private TestServer server;

  @BeforeEach
  void deploy(Vertx vertx) {
    server = TestServer.start(vertx, new JsonObject().put("sessions", new JsonObject().put("tables", 2)));
  }

  private void hook(JsonObject body) {
    assertThat(result(server.post("/api/hooks/claude", body.put("session_id", "cc-1").put("cwd", "/w/shop")))
        .statusCode()).isEqualTo(200);
  }

  private void otlp(String path, String contentType, Buffer body) {
    assertThat(result(server.http().post(server.ingestPort(), "127.0.0.1", path)
        .putHeader("content-type", contentType).sendBuffer(body)).statusCode()).isEqualTo(200);
  }

  @Test
  void theCardShowsTheCostOpenTelemetryGave() {
    Page page = browser.open(server.bridgePort(), 1280, 900, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");

    hook(new JsonObject().put("hook_event_name", "UserPromptSubmit").put("prompt", "fix the cart"));
    otlp("/v1/logs", "application/json", Buffer.buffer(OtlpBodies.logsJson(List.of(
        event("api_request", "session.id", "cc-1", "model", SONNET, "cost_usd", "0.25", "input_tokens", "1200",
            "output_tokens", "300", "duration_ms", "2100")))));
    hook(new JsonObject().put("hook_event_name", "PreToolUse").put("tool_name", "Edit"));
    hook(new JsonObject().put("hook_event_name", "SessionStart").put("source", "startup"));
    // the status line says less than OTel: OTel wins
    assertThat(result(server.post("/api/statusline", new JsonObject().put("session_id", "cc-1")
        .put("cost", new JsonObject().put("total_cost_usd", 0.10)))).statusCode()).isEqualTo(200);
    otlp("/v1/metrics", "application/x-protobuf", Buffer.buffer(OtlpBodies.metrics(AGGREGATION_TEMPORALITY_DELTA,
        point("claude_code.cost.usage", "cc-1", SONNET, null, 0.55, 1),
        point("claude_code.token.usage", "cc-1", SONNET, "input", 1200, 1),
        point("claude_code.token.usage", "cc-1", SONNET, "output", 300, 1)).toByteArray()));
    hook(new JsonObject().put("hook_event_name", "PostToolUse").put("tool_name", "Edit"));

    PlaywrightAssertions.assertThat(page.locator(".table-card[data-session='cc-1'] .cost")).hasText("$0.55");
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-session='cc-1'] .usage-tokens"))
        .containsText("1.5k tok · 1 req");
    PlaywrightAssertions.assertThat(page.locator("#kpi-cost")).hasText("$0.55");
    PlaywrightAssertions.assertThat(page.locator("#cost-chart rect")).hasCount(14);
    assertThat(server.sessions().getJsonArray("sessions").getJsonObject(0).getDouble("costUsd")).isEqualTo(0.55);

    page.locator(".table-card[data-session='cc-1']").click();
    PlaywrightAssertions.assertThat(page.locator("#detail-note .api-requests li")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#detail-note .api-requests li")).containsText("$0.25");
    browser.screenshot(page, "dashboard-usage.png");
    browser.assertNoConsoleErrors();
  }
}
