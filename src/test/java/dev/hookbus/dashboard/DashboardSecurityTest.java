package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.hookbus.support.Await.result;
import static dev.hookbus.dashboard.BrowserHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 in a real Chromium: the dashboard under either loopback name still reads full events from ingest, while a
 * page of another origin cannot read, post or open the bridge, and a DNS-rebinding name
 * ({@code --host-resolver-rules} maps it to 127.0.0.1) gets 421 on both ports.
 */
@ExtendWith(VertxExtension.class)
class DashboardSecurityTest {
  private static final String REBIND = "rebind.test";
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness(List.of("--host-resolver-rules=MAP " + REBIND + " 127.0.0.1"));
  private TestServer main;
  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx) {
    main = TestServer.start(vertx, new JsonObject().put("ingest", new JsonObject().put("instances", 1)));
    client = WebClient.create(vertx);
  }

  private Page dashboard(String host) {
    Page page = browser.blank(1280, 800, ColorScheme.LIGHT);
    page.navigate("http://" + host + ":" + main.bridgePort() + "/");
    assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    return page;
  }

  private List<String> sessionIds() {
    JsonObject snapshot = result(client.get(main.ingestPort(), "127.0.0.1", "/api/sessions").send()).bodyAsJsonObject();
    return snapshot.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("sessionId")).toList();
  }

  @Test
  void theDashboardReadsFullEventsUnderEitherLoopbackName() {
    for (String host : List.of("127.0.0.1", "localhost")) {
      Page page = dashboard(host);
      long seq = main.postBatch(
          event("prompt:submit", "s-" + host, "prompt", "a long prompt…[truncated 5000 chars]")).get(0);
      page.locator("#events .ev[data-seq='" + seq + "']").click();
      assertThat(page.locator("#detail-note")).hasText(Pattern.compile("^Full event from .*" + host));
      page.context().close();
    }
  }

  @Test
  void aPageOfAnotherOriginCannotReadPostOrConnect(Vertx vertx) {
    HttpServer other = result(vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("content-type", "text/html").end("<!doctype html><p>other"))
        .listen(0, "127.0.0.1"));
    Page page = browser.blank(800, 600, ColorScheme.LIGHT);
    page.navigate("http://127.0.0.1:" + other.actualPort() + "/");
    String attack = """
        async ({ingest, bridge}) => {
          const out = {};
          try { await fetch(`http://127.0.0.1:${ingest}/api/sessions`); out.read = 'read'; }
          catch (e) { out.read = 'blocked'; }
          for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
            await fetch(`http://127.0.0.1:${ingest}/api/events`, {method: 'POST', mode: 'no-cors',
              headers: {'content-type': type},
              body: JSON.stringify({type: 'session:start', payload: {sessionId: 's-csrf'}})});
          }
          out.socket = await new Promise(resolve => {
            const ws = new WebSocket(`ws://127.0.0.1:${bridge}/eventbus/websocket`);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          });
          return out;
        }""";
    Object result = page.evaluate(attack, Map.of("ingest", main.ingestPort(), "bridge", main.bridgePort()));
    assertThat(result).isEqualTo(Map.of("read", "blocked", "socket", "refused"));
    assertThat(sessionIds()).isEmpty();

    // The same posts from the dashboard's own page do land: the ones above reached ingest and were refused.
    Page own = dashboard("127.0.0.1");
    own.evaluate("""
        async (ingest) => fetch(`http://127.0.0.1:${ingest}/api/events`, {method: 'POST', mode: 'no-cors',
          headers: {'content-type': 'text/plain'},
          body: JSON.stringify({type: 'session:start', payload: {sessionId: 's-own'}})})
        """, main.ingestPort());
    assertThat(sessionIds()).containsExactly("s-own");
    result(other.close());
  }

  @Test
  void aRebindingNameGetsMisdirectedOnBothPorts() {
    main.postBatch( event("prompt:submit", "s-secret", "prompt", "private"));
    Page page = browser.blank(800, 600, ColorScheme.LIGHT);
    Response dashboard = page.navigate("http://" + REBIND + ":" + main.bridgePort() + "/");
    assertThat(dashboard.status()).isEqualTo(421);
    Response sessions = page.navigate("http://" + REBIND + ":" + main.ingestPort() + "/api/sessions");
    assertThat(sessions.status()).isEqualTo(421);
    assertThat(sessions.text()).contains("MISDIRECTED_HOST").doesNotContain("s-secret");
  }
}
