package dev.hookbus.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
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
import java.util.regex.Pattern;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "waiting for you" inbox in headless Chromium: held PermissionRequests appear (a queued session's too), Deny
 * with a message, "always allow" and, at phone width, Allow answer the held hooks; answered elsewhere closes the card;
 * a background tab shows the count; axe-core finds nothing serious. Screenshots: target/screenshots/inbox.png,
 * inbox-dark.png and inbox-phone.png.
 */
@ExtendWith(VertxExtension.class)
class DashboardInboxTest {
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private static final Path AXE = Paths.get("src", "main", "frontend", "node_modules", "axe-core", "axe.min.js");
  private static final String SERIOUS_VIOLATIONS = """
      async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return JSON.stringify(result.violations
          .filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 20).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')) })));
      }""";

  private TestServer server;
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    server = TestServer.start(vertx, new JsonObject().put("sessions", new JsonObject().put("tables", 1)));
  }

  private void awaitDeciders(int count) {
    awaitDeciders(count, null);
  }

  private void awaitDeciders(int count, String token) {
    result(Eventually.until(vertx, () -> {
      var request = server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals");
      return (token == null ? request : request.putHeader("Authorization", "Bearer " + token)).send();
    }, r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == count, Duration.ofSeconds(10)));
  }

  private Future<HttpResponse<Buffer>> hook(JsonObject body) {
    return server.post("/api/hooks/claude", body);
  }

  private static JsonObject bash(String sessionId, String command) {
    return new JsonObject().put("session_id", sessionId).put("cwd", "/work/" + sessionId)
        .put("hook_event_name", "PermissionRequest").put("tool_name", "Bash")
        .put("tool_input", new JsonObject().put("command", command).put("description", "deploy the web tier"))
        .put("permission_suggestions", new JsonArray().add(new JsonObject().put("type", "addRules")
            .put("rules", new JsonArray().add(new JsonObject().put("toolName", "Bash").put("ruleContent", "make:*")))
            .put("behavior", "allow").put("destination", "localSettings")));
  }

  private static JsonObject edit(String sessionId) {
    return new JsonObject().put("session_id", sessionId).put("cwd", "/work/" + sessionId)
        .put("hook_event_name", "PermissionRequest").put("tool_name", "Edit")
        .put("tool_input", new JsonObject().put("file_path", "/work/" + sessionId + "/src/app.ts")
            .put("old_string", "const retries = 1;\nconst timeoutMs = 500;")
            .put("new_string", "const retries = 3;\nconst timeoutMs = 2000;"));
  }

  private static java.util.List<Object> violations(Page page) {
    return new JsonArray((String) page.evaluate(SERIOUS_VIOLATIONS)).getList();
  }

  private static JsonObject decision(HttpResponse<Buffer> reply) {
    return reply.bodyAsJsonObject().getJsonObject("hookSpecificOutput").getJsonObject("decision");
  }

  @Test
  void decideFromTheInbox() {
    Page page = browser.open(server.bridgePort(), 1440, 900, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    awaitDeciders(1);
    server.postEvent("tool:pre", new JsonObject().put("sessionId", "api-gateway").put("toolName", "Read"));
    server.postEvent("tool:pre", new JsonObject().put("sessionId", "web-tier").put("toolName", "Bash"));

    Future<HttpResponse<Buffer>> editHeld = hook(edit("api-gateway"));
    Future<HttpResponse<Buffer>> bashHeld = hook(bash("web-tier", "make deploy ENV=staging"));
    Locator cards = page.locator("#inbox .approval");
    PlaywrightAssertions.assertThat(cards).hasCount(2);
    PlaywrightAssertions.assertThat(page.locator("#inbox")).isVisible();
    Locator queued = cards.filter(new Locator.FilterOptions().setHasText("make deploy"));
    PlaywrightAssertions.assertThat(queued.locator(".ap-where")).containsText("queued for a table");
    PlaywrightAssertions.assertThat(queued.locator(".always")).containsText("Bash(make:*)");
    Locator editCard = cards.filter(new Locator.FilterOptions().setHasText("app.ts"));
    PlaywrightAssertions.assertThat(editCard.locator(".ap-input .del")).hasCount(2);
    PlaywrightAssertions.assertThat(editCard.locator(".ap-input .add").first()).containsText("retries = 3");
    PlaywrightAssertions.assertThat(editCard.locator(".ap-where")).containsText("T1");
    browser.screenshot(page, "inbox.png");
    page.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    assertThat(violations(page)).as("axe on the inbox, light").isEmpty();
    Page dark = browser.open(server.bridgePort(), 1440, 900, ColorScheme.DARK);
    PlaywrightAssertions.assertThat(dark.locator("#inbox .approval")).hasCount(2);
    browser.screenshot(dark, "inbox-dark.png");
    dark.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    assertThat(violations(dark)).as("axe on the inbox, dark").isEmpty();

    page.evaluate("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });"
        + " document.dispatchEvent(new Event('visibilitychange')); }");
    assertThat((String) page.evaluate("document.title")).isEqualTo("(2) waiting · hookbus");
    assertThat((String) page.evaluate("document.querySelector('link[rel=icon]').href")).contains("%3E2%3C");
    page.evaluate("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });"
        + " document.dispatchEvent(new Event('visibilitychange')); }");
    assertThat((String) page.evaluate("document.title")).isEqualTo("hookbus");

    editCard.locator(".ap-message").fill("keep the old timeout");
    editCard.locator(".deny").click();
    JsonObject denied = decision(result(editHeld));
    assertThat(denied).isEqualTo(new JsonObject().put("behavior", "deny").put("message", "keep the old timeout")
        .put("interrupt", false));
    PlaywrightAssertions.assertThat(cards).hasCount(1);

    queued.locator(".always").click();
    JsonObject always = decision(result(bashHeld));
    assertThat(always.getString("behavior")).isEqualTo("allow");
    assertThat(always.getJsonArray("updatedPermissions")).isEqualTo(bash("x", "y").getJsonArray("permission_suggestions"));
    PlaywrightAssertions.assertThat(cards).hasCount(0);
    PlaywrightAssertions.assertThat(page.locator("#inbox")).isHidden();

    Future<HttpResponse<Buffer>> elsewhere = hook(bash("web-tier", "make test"));
    PlaywrightAssertions.assertThat(cards).hasCount(1);
    result(hook(new JsonObject().put("session_id", "web-tier").put("hook_event_name", "PostToolUse")
        .put("tool_name", "Bash").put("tool_input", new JsonObject().put("command", "make test"))));
    assertThat(result(elsewhere).bodyAsJsonObject()).as("answered in the terminal").isEmpty();
    PlaywrightAssertions.assertThat(cards).hasCount(0);
    browser.assertNoConsoleErrors();
  }

  @Test
  void withAViewerToken(Vertx vertx) {
    server.stop();
    server = TestServer.start(vertx, new JsonObject().put("bridge", new JsonObject().put("tokens", new JsonArray()
        .add(new JsonObject().put("name", "phone").put("token", "phone-secret")
            .put("addresses", new JsonArray().add("hookbus.*"))))));
    Page page = browser.blank(390, 844, ColorScheme.LIGHT);
    page.navigate("http://127.0.0.1:" + server.bridgePort() + "/#token=phone-secret");
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    awaitDeciders(1, "phone-secret");
    Future<HttpResponse<Buffer>> held = hook(bash("token-session", "make release"));
    page.locator("#inbox .approval .allow").click();
    assertThat(decision(result(held)).getString("behavior")).isEqualTo("allow");
    JsonArray audit = result(server.http().get(server.ingestPort(), "127.0.0.1", "/api/approvals?since=0")
        .putHeader("Authorization", "Bearer phone-secret").send()).bodyAsJsonObject().getJsonArray("approvals");
    assertThat(audit.getJsonObject(0).getString("decidedBy")).isEqualTo("phone");
    browser.assertNoConsoleErrors();
  }

  @Test
  void phoneWidth() {
    Page phone = browser.open(server.bridgePort(), 390, 844, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(phone.locator("#conn")).hasAttribute("data-state", "connected");
    awaitDeciders(1);
    Future<HttpResponse<Buffer>> held = hook(bash("phone-session", "kubectl rollout restart deployment/web"
        + " --namespace production --context prod-eu-west-1"));
    Future<HttpResponse<Buffer>> second = hook(edit("other-session"));
    Locator cards = phone.locator("#inbox .approval");
    PlaywrightAssertions.assertThat(cards).hasCount(2);
    PlaywrightAssertions.assertThat(phone.locator("#inbox .ap-left").first()).hasText(Pattern.compile("\\d+m \\d+s left"));
    browser.fullPageScreenshot(phone, "inbox-phone.png");
    phone.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    assertThat(violations(phone)).as("axe on the inbox at phone width").isEmpty();
    assertThat(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    Locator box = cards.first().locator(".allow");
    assertThat(box.boundingBox().height).as("a thumb-sized button").isGreaterThanOrEqualTo(30);
    cards.filter(new Locator.FilterOptions().setHasText("kubectl")).locator(".allow").click();
    assertThat(decision(result(held))).isEqualTo(new JsonObject().put("behavior", "allow"));
    cards.filter(new Locator.FilterOptions().setHasText("app.ts")).locator(".deny").click();
    assertThat(decision(result(second)).getString("message")).isEqualTo("Denied in hookbus by local");
    PlaywrightAssertions.assertThat(cards).hasCount(0);
    browser.assertNoConsoleErrors();
  }
}
