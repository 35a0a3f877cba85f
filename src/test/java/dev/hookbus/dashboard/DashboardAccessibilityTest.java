package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * axe-core (npm, loaded from node_modules by the test, never shipped in the jar) finds no serious or critical
 * violation on the dashboard with sessions in every state, with the detail panel closed and open, in both color
 * schemes at desktop and phone width.
 */
@ExtendWith(VertxExtension.class)
class DashboardAccessibilityTest {
  private static final Path AXE = Paths.get("src", "main", "frontend", "node_modules", "axe-core", "axe.min.js");
  private static final String SERIOUS_VIOLATIONS = """
      async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return JSON.stringify(result.violations
          .filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 20).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')) })));
      }""";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private TestServer server;

  @BeforeEach
  void deploy(Vertx vertx) {
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", 6))
        .put("metrics", new JsonObject().put("intervalMs", 200)));
    for (JsonObject[] round : Scene.rounds()) {
      server.postBatch(round);
    }
  }

  @ParameterizedTest(name = "{0} at {1}x{2}")
  @CsvSource({"LIGHT, 1440, 960", "DARK, 1440, 960", "LIGHT, 390, 844", "DARK, 390, 844"})
  void noSeriousOrCriticalViolations(ColorScheme scheme, int width, int height) {
    Page page = browser.open(server.bridgePort(), width, height, scheme);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-status='waiting']")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-status='idle']")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#queue .queue-item")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#pulse-legend li")).hasCount(7);
    PlaywrightAssertions.assertThat(page.locator("h1")).hasCount(1);
    page.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    assertThat(violations(page)).as("axe on the dashboard").isEmpty();

    page.locator("#events .ev[data-type='permission:request']").click();
    PlaywrightAssertions.assertThat(page.locator("#detail-json")).containsText("kubectl rollout restart");
    assertThat(violations(page)).as("axe with the detail panel open").isEmpty();
    browser.assertNoConsoleErrors();
  }

  private static List<Object> violations(Page page) {
    return new JsonArray((String) page.evaluate(SERIOUS_VIOLATIONS)).getList();
  }
}
