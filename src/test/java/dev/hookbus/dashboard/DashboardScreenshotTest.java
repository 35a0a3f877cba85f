package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard with a few live sessions in every state, saved as screenshots under target/screenshots for a
 * reviewer to look at: laptop light, laptop dark, phone.
 */
@ExtendWith(VertxExtension.class)
class DashboardScreenshotTest {
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private TestServer server;

  @BeforeEach
  void deploy(Vertx vertx) {
    server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", 6))
        .put("metrics", new JsonObject().put("intervalMs", 200)));
  }

  @Test
  void livesSessionsInEveryState() {
    Page page = browser.open(server.bridgePort(), 1440, 960, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    for (JsonObject[] round : Scene.rounds()) {
      List<Long> seqs = server.postBatch(round);
      PlaywrightAssertions.assertThat(page.locator("#events .ev[data-seq='" + seqs.get(seqs.size() - 1) + "']"))
          .hasCount(1);
    }
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-status='waiting']")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#queue .queue-item")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#kpi-clients")).hasText("1");
    browser.screenshot(page, "dashboard.png");
    page.locator("#events .ev[data-type='permission:request']").click();
    PlaywrightAssertions.assertThat(page.locator("#detail-json")).containsText("kubectl rollout restart");
    browser.screenshot(page, "dashboard-detail.png");

    Page dark = browser.open(server.bridgePort(), 1440, 960, ColorScheme.DARK);
    PlaywrightAssertions.assertThat(dark.locator(".table-card[data-status='waiting']")).hasCount(1);
    PlaywrightAssertions.assertThat(dark.locator("#pulse-legend li")).hasCount(7); // drawn from the backlog
    browser.screenshot(dark, "dashboard-dark.png");

    Page phone = browser.open(server.bridgePort(), 390, 844, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(phone.locator(".table-card[data-status='waiting']")).hasCount(1);
    browser.fullPageScreenshot(phone, "dashboard-phone.png");
    assertThat(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    browser.assertNoConsoleErrors();
  }
}
