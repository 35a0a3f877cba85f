package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.SelfSignedCert;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.hookbus.dashboard.BrowserHarness.event;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over HTTPS in Chromium (told to accept the test's self-signed certificate): the official client
 * connects over WSS, and the page reads a full event from ingest over HTTPS.
 */
@ExtendWith(VertxExtension.class)
class DashboardOverTlsTest {
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness(List.of("--ignore-certificate-errors"));

  @Test
  void theDashboardWorksOverHttpsAndWss(Vertx vertx, @TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    SelfSignedCert.generate(dir, "hookbus-dashboard").writeTo(cert, key);
    JsonObject tls = new JsonObject().put("certPath", cert.toString()).put("keyPath", key.toString());
    TestServer server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("tls", tls)).put("bridge", new JsonObject().put("tls", tls)));

    Page page = browser.blank(1280, 800, ColorScheme.LIGHT);
    page.navigate("https://127.0.0.1:" + server.bridgePort() + "/");
    assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");

    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false));
    JsonObject answer = result(https.post(server.ingestPort(), "127.0.0.1", "/api/events")
        .sendJsonObject(event("prompt:submit", "s-tls", "prompt", "over TLS…[truncated 5000 chars]")))
        .bodyAsJsonObject();
    long seq = answer.getLong("seq");
    page.locator("#events .ev[data-seq='" + seq + "']").click();
    assertThat(page.locator("#detail-note")).hasText(Pattern.compile("^Full event from .*127\\.0\\.0\\.1"));
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
