package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.MainVerticle;
import dev.hookbus.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard with a few live sessions in every state, saved as screenshots under target/screenshots for a
 * reviewer to look at: laptop light, laptop dark, phone.
 */
@ExtendWith(VertxExtension.class)
class DashboardScreenshotTest {
  private static BrowserHarness browser;

  private MainVerticle main;
  private WebClient client;

  @BeforeAll
  static void launch() {
    browser = new BrowserHarness();
  }

  @AfterAll
  static void shutDown() {
    browser.close();
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    AppConfig config = AppConfig.from(new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", 6))
        .put("metrics", new JsonObject().put("intervalMs", 200))).onFreePorts();
    main = new MainVerticle(config);
    client = WebClient.create(vertx);
    vertx.deployVerticle(main).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void livesSessionsInEveryState() {
    List<String> errors = BrowserHarness.errors();
    Page page = browser.open(main.bridgePort(), errors, 1440, 960, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    for (JsonObject[] round : Scene.rounds()) {
      List<Long> seqs = BrowserHarness.post(client, main.ingestPort(), round);
      PlaywrightAssertions.assertThat(page.locator("#events .ev[data-seq='" + seqs.get(seqs.size() - 1) + "']"))
          .hasCount(1);
    }
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-status='waiting']")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#queue .queue-item")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator("#kpi-clients")).hasText("1");
    page.screenshot(new Page.ScreenshotOptions().setPath(BrowserHarness.SCREENSHOTS.resolve("dashboard.png")));
    page.locator("#events .ev[data-type='permission:request']").click();
    PlaywrightAssertions.assertThat(page.locator("#detail-json")).containsText("kubectl rollout restart");
    page.screenshot(new Page.ScreenshotOptions().setPath(BrowserHarness.SCREENSHOTS.resolve("dashboard-detail.png")));

    Page dark = browser.open(main.bridgePort(), errors, 1440, 960, ColorScheme.DARK);
    PlaywrightAssertions.assertThat(dark.locator(".table-card[data-status='waiting']")).hasCount(1);
    PlaywrightAssertions.assertThat(dark.locator("#pulse-legend li")).hasCount(7); // drawn from the backlog
    dark.screenshot(new Page.ScreenshotOptions().setPath(BrowserHarness.SCREENSHOTS.resolve("dashboard-dark.png")));

    Page phone = browser.open(main.bridgePort(), errors, 390, 844, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(phone.locator(".table-card[data-status='waiting']")).hasCount(1);
    phone.screenshot(new Page.ScreenshotOptions().setPath(BrowserHarness.SCREENSHOTS.resolve("dashboard-phone.png"))
        .setFullPage(true));
    assertThat(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    assertThat(errors).isEmpty();
    List.of(page, dark, phone).forEach(p -> p.context().close());
  }
}
