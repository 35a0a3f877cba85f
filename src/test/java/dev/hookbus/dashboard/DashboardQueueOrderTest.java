package dev.hookbus.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue for a table in headless Chromium: a queued session that waits for the person sorts first and says so,
 * keeping its place number in the queue; once it moves on, the queue's own order is back. Screenshot:
 * target/screenshots/queue-waiting-first.png.
 */
@ExtendWith(VertxExtension.class)
class DashboardQueueOrderTest {
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  @Test
  @DisplayName("waiting sessions sort first in the queue list, with their place in the queue kept")
  void waitingSessionsSortFirst(Vertx vertx) {
    TestServer server = TestServer.start(vertx, new JsonObject().put("sessions", new JsonObject().put("tables", 1)));
    Page page = browser.open(server.bridgePort(), 1440, 900, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    for (String id : new String[] {"at-table", "queued-one", "queued-two", "queued-three"}) {
      server.postEvent("tool:pre", new JsonObject().put("sessionId", id).put("cwd", "/work/" + id)
          .put("toolName", "Read"));
    }
    Locator items = page.locator("#queue-list .queue-item");
    PlaywrightAssertions.assertThat(items).hasCount(3);
    PlaywrightAssertions.assertThat(items.locator(".title"))
        .containsText(new String[] {"queued-one", "queued-two", "queued-three"});

    server.postEvent("permission:request", new JsonObject().put("sessionId", "queued-two").put("toolName", "Bash"));
    PlaywrightAssertions.assertThat(items.locator(".title"))
        .containsText(new String[] {"queued-two", "queued-one", "queued-three"});
    PlaywrightAssertions.assertThat(items.locator(".pos")).containsText(new String[] {"2", "1", "3"});
    PlaywrightAssertions.assertThat(items.first()).hasAttribute("data-status", "waiting");
    PlaywrightAssertions.assertThat(items.first().locator(".wait-tag")).hasText("waits for you");
    PlaywrightAssertions.assertThat(page.locator("#queue-list .wait-tag")).hasCount(1);
    browser.screenshot(page, "queue-waiting-first.png");

    server.postEvent("permission:request", new JsonObject().put("sessionId", "queued-three").put("toolName", "Edit"));
    PlaywrightAssertions.assertThat(items.locator(".title"))
        .containsText(new String[] {"queued-two", "queued-three", "queued-one"});

    server.postEvent("tool:post", new JsonObject().put("sessionId", "queued-two").put("toolName", "Bash"));
    server.postEvent("tool:post", new JsonObject().put("sessionId", "queued-three").put("toolName", "Edit"));
    PlaywrightAssertions.assertThat(items.locator(".title"))
        .containsText(new String[] {"queued-one", "queued-two", "queued-three"});
    PlaywrightAssertions.assertThat(page.locator("#queue-list .wait-tag")).hasCount(0);
    browser.assertNoConsoleErrors();
  }
}
