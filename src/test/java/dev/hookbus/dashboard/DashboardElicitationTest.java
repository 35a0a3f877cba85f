package dev.hookbus.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.Elicitations;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MCP server's question in the inbox, in headless Chromium: its server, message and a form from the requested
 * schema (text, integer, number, boolean, enum); Accept sends the form's content and the held hook answers with it;
 * a wrong value is refused on the card; a url-mode question shows its URL and is declined at phone width.
 * Screenshots: target/screenshots/inbox-elicitation.png and inbox-elicitation-phone.png.
 */
@ExtendWith(VertxExtension.class)
class DashboardElicitationTest {
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private static final Path AXE = Paths.get("src", "main", "frontend", "node_modules", "axe-core", "axe.min.js");

  private TestServer server;
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    server = TestServer.start(vertx);
  }

  private void awaitDeciders(int count) {
    result(Eventually.until(vertx, () -> server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == count, Duration.ofSeconds(10)));
  }

  private Future<HttpResponse<Buffer>> hook(JsonObject body) {
    return server.post("/api/hooks/claude", body);
  }

  private static JsonObject output(HttpResponse<Buffer> reply) {
    return reply.bodyAsJsonObject().getJsonObject("hookSpecificOutput");
  }

  @Test
  void answerAFormAtDesktopWidth() {
    Page page = browser.open(server.bridgePort(), 1440, 900, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(Elicitations.form("deploy-bot"));
    Locator card = page.locator("#inbox .approval");
    PlaywrightAssertions.assertThat(card).hasCount(1);
    PlaywrightAssertions.assertThat(card.locator(".tool-name")).hasText(Elicitations.SERVER);
    PlaywrightAssertions.assertThat(card.locator(".el-message")).hasText("Which release should go out?");
    PlaywrightAssertions.assertThat(card.locator(".el-field")).hasCount(5);
    PlaywrightAssertions.assertThat(card.locator("select[name=region] option")).hasCount(3);
    PlaywrightAssertions.assertThat(card.locator("[data-act]")).hasText(new String[] {"Accept", "Decline", "Cancel"});
    assertThat(card.locator("input[name=name]").getAttribute("required")).isNotNull();

    card.locator("input[name=name]").fill("v1.4");
    card.locator("input[name=replicas]").fill("2.5");
    card.locator("input[name=confirm]").check();
    card.locator("[data-act=accept]").click();
    PlaywrightAssertions.assertThat(card.locator(".ap-note.error")).containsText("content.replicas must be an integer");
    assertThat(held.isComplete()).as("a refused answer decides nothing").isFalse();

    card.locator("input[name=replicas]").fill("3");
    card.locator("input[name=ratio]").fill("0.25");
    card.locator("select[name=region]").selectOption("us");
    browser.screenshot(page, "inbox-elicitation.png");
    page.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    assertThat(new JsonArray((String) page.evaluate("async () => JSON.stringify((await axe.run(document,"
        + " { resultTypes: ['violations'] })).violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        + ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"))).as("axe").isEmpty();
    card.locator("[data-act=accept]").click();
    assertThat(output(result(held))).isEqualTo(new JsonObject().put("hookEventName", "Elicitation")
        .put("action", "accept").put("content", new JsonObject().put("name", "v1.4").put("replicas", 3)
            .put("ratio", 0.25).put("confirm", true).put("region", "us")));
    PlaywrightAssertions.assertThat(card).hasCount(0);
  }

  @Test
  void declineAUrlAtPhoneWidth() {
    Page page = browser.open(server.bridgePort(), 390, 844, ColorScheme.DARK);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(Elicitations.url("login-bot"));
    Future<HttpResponse<Buffer>> form = hook(Elicitations.form("deploy-bot"));
    Locator cards = page.locator("#inbox .approval");
    PlaywrightAssertions.assertThat(cards).hasCount(2);
    Locator urlCard = cards.filter(new Locator.FilterOptions().setHasText("Sign in"));
    PlaywrightAssertions.assertThat(urlCard.locator(".el-url a")).hasAttribute("href", "https://deploy.example/login?e=1");
    PlaywrightAssertions.assertThat(urlCard.locator(".el-field")).hasCount(0);
    assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
        .as("nothing wider than the phone").isTrue();
    browser.screenshot(page, "inbox-elicitation-phone.png");
    urlCard.locator("[data-act=decline]").click();
    assertThat(output(result(held))).isEqualTo(new JsonObject().put("hookEventName", "Elicitation")
        .put("action", "decline"));
    cards.first().locator("[data-act=cancel]").click();
    assertThat(output(result(form))).isEqualTo(new JsonObject().put("hookEventName", "Elicitation")
        .put("action", "cancel"));
    PlaywrightAssertions.assertThat(cards).hasCount(0);
  }
}
