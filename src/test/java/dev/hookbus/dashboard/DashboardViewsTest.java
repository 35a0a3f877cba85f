package dev.hookbus.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static dev.hookbus.dashboard.BrowserHarness.event;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page applies the views envelopes carry and never re-reads the snapshot: not while events flow, not after a
 * reconnect that history covers; at the end its cards are the server's snapshot. And what a new user's first look
 * found: teams that differ, unknown context shown as unknown, the pulse above the fold, table numbers as the API's.
 */
@ExtendWith(VertxExtension.class)
class DashboardViewsTest {
  private static final LocatorAssertions.HasAttributeOptions RECOVERY =
      new LocatorAssertions.HasAttributeOptions().setTimeout(20_000);
  /** Also counts the xhr transports' sends, in case SockJS falls back after the cut. */
  private static final String COUNT_SYNCS = DashboardPagesBench.COUNT_SYNCS + """
      const xhrSend = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        if (typeof body === 'string' && body.includes('hookbus.sync')) window.__syncs++;
        return xhrSend.call(this, body);
      };""";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private final AtomicLong lastSeq = new AtomicLong();
  private int round;

  private static TestServer server(Vertx vertx, int tables) {
    // The page is opened through a proxy on a port of its own: its origin is not the dashboard's, so ingest lets it
    // in the way an operator would (ingest.corsOrigins) for the page's fetches of /api/usage and /api/events.
    return TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1).put("corsOrigins", new JsonArray().add("*")))
        .put("sessions", new JsonObject().put("tables", tables)));
  }

  @Test
  void neverReReadsTheSnapshotWhileEventsFlowNorAfterAReconnect(Vertx vertx) {
    TestServer server = server(vertx, 6);
    CuttableProxy proxy = new CuttableProxy(vertx, server.bridgePort());
    Page page = browser.blank(1440, 900, ColorScheme.LIGHT);
    page.addInitScript(COUNT_SYNCS);
    page.navigate("http://127.0.0.1:" + result(proxy.start()) + "/");
    expect(page.locator("#conn")).hasAttribute("data-state", "connected");

    server.postBatch(event("session:start", "v1", "cwd", "/w/one"), event("session:start", "v2"));
    result(stream(vertx, server, 40, 4), 60); // past the 1.5 s after which the old page re-read the snapshot
    waitForSeq(page, lastSeq.get());

    proxy.cut();
    expect(page.locator("#conn")).hasAttribute("data-state", "reconnecting", RECOVERY);
    List<Long> missed = server.postBatch(event("subagent:start", "v1", "agentId", "a1", "agentType", "Explore"),
        event("tool:pre", "v1", "agentId", "a1", "toolName", "Grep"),
        event("permission:request", "v2", "toolName", "Write"),
        event("tool:pre", "v5", "toolName", "Bash", "contextPercent", 12), // opened while the page was away
        event("session:start", "v6"), event("session:start", "v7"), // v7 queues
        event("session:end", "v6", "reason", "clear")); // v7 takes its table
    lastSeq.accumulateAndGet(missed.get(missed.size() - 1), Math::max);
    proxy.restore();
    expect(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("resynced|connected"), RECOVERY);
    result(stream(vertx, server, 40, 3), 60);
    waitForSeq(page, lastSeq.get());

    assertThat(((Number) page.evaluate("window.__syncs")).intValue()).isEqualTo(1);
    assertThat(((Number) page.evaluate("hookbus.connection.syncs")).intValue()).isEqualTo(1);
    assertThat(((Number) page.evaluate("hookbus.connection.recoveries")).intValue()).isGreaterThanOrEqualTo(1);

    JsonObject snapshot = server.sessions();
    JsonArray both = new JsonArray((String) page.evaluate(DashboardStateTest.PROJECT_BOTH, snapshot.encode()));
    assertThat(both.getJsonObject(0).encodePrettily()).isEqualTo(both.getJsonObject(1).encodePrettily());
    assertCardsShow(page, snapshot);
    result(proxy.close());
    browser.assertNoConsoleErrors();
  }

  /** Every table card shows the session the snapshot seats there, with its status and its tool count. */
  private static void assertCardsShow(Page page, JsonObject snapshot) {
    int seated = 0;
    for (Object item : snapshot.getJsonArray("sessions")) {
      JsonObject s = (JsonObject) item;
      Integer table = s.getInteger("tableIndex");
      if (table == null) {
        continue;
      }
      seated++;
      Locator card = card(page, table);
      expect(card).hasAttribute("data-session", s.getString("sessionId"));
      expect(card).hasAttribute("data-status", s.getString("status"));
      long tools = s.getLong("toolCalls");
      expect(card.locator(".card-foot")).containsText(tools + " tool" + (tools == 1 ? "" : "s"));
      if (s.getString("currentTool") != null && s.getString("status").equals("active")) {
        expect(card.locator(".status .tool")).hasText(s.getString("currentTool"));
      }
    }
    expect(page.locator(".table-card[data-session]:not([data-session=''])")).hasCount(seated);
  }

  @Test
  void sessionsOpenAtTheSameTimeGetDifferentTeams(Vertx vertx) {
    TestServer server = server(vertx, 8);
    Page page = open(server);
    JsonObject[] starts = new JsonObject[6];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = event("session:start", "0f1e2d3c-aaaa-bbbb-cccc-00000000000" + i);
    }
    waitForSeq(page, last(server.postBatch(starts)));
    Set<String> names = new HashSet<>();
    Set<String> colors = new HashSet<>();
    for (int i = 0; i < starts.length; i++) {
      // The store has the seq; the cards are drawn on the next animation frame.
      expect(card(page, i).locator(".team")).not().hasText("free");
      names.add(card(page, i).locator(".team").textContent());
      colors.add((String) card(page, i).evaluate("el => el.style.getPropertyValue('--team')"));
    }
    assertThat(names).hasSize(6);
    assertThat(colors).hasSize(6);
  }

  @Test
  void unknownContextShowsAsUnknownUntilReported(Vertx vertx) {
    TestServer server = server(vertx, 2);
    Page page = open(server);
    waitForSeq(page, last(server.postBatch(event("session:start", "c1"))));
    expect(card(page, 0).locator(".gauge-label")).hasText("context unknown");
    expect(card(page, 0).locator(".gauge")).hasClass(Pattern.compile("unknown"));
    assertThat(server.sessions().getJsonArray("sessions").getJsonObject(0).getValue("contextPercent")).isNull();

    waitForSeq(page, last(server.postBatch(event("context:update", "c1", "percent", 42, "tokens", 84_000))));
    expect(card(page, 0).locator(".gauge-label .pct")).hasText("42%");
    expect(card(page, 0).locator(".gauge-label")).containsText("84k tokens");
  }

  @Test
  void thePulseIsAboveTheFoldAt1440By900WithEveryTableTaken(Vertx vertx) {
    TestServer server = server(vertx, 8);
    Page page = open(server);
    JsonObject[] starts = new JsonObject[8];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = event("session:start", "fold-" + i, "cwd", "/home/dev/src/project-" + i, "model", "claude-opus-4");
    }
    waitForSeq(page, last(server.postBatch(starts)));
    expect(page.locator(".table-card[data-session^='fold-']")).hasCount(8);
    BoundingBox pulse = page.locator("#pulse").boundingBox();
    assertThat(pulse.y).isGreaterThanOrEqualTo(0);
    assertThat(pulse.y + pulse.height).isLessThanOrEqualTo(900);
    browser.screenshot(page, "dashboard-1440x900-pulse-above-the-fold.png");
  }

  @Test
  void tableNumbersOnThePageAreTheApisTableIndex(Vertx vertx) {
    TestServer server = server(vertx, 3);
    Page page = open(server);
    waitForSeq(page, last(server.postBatch(event("session:start", "n0"), event("session:start", "n1"))));
    for (Object item : server.sessions().getJsonArray("sessions")) {
      JsonObject s = (JsonObject) item;
      int table = s.getInteger("tableIndex");
      expect(card(page, table)).hasAttribute("data-session", s.getString("sessionId"));
      expect(card(page, table).locator(".table-no")).hasText("T" + table);
    }
    expect(card(page, 2).locator(".table-no")).hasText("T2"); // a free table too
    expect(page.locator("#events .ev").filter(new Locator.FilterOptions().setHasText("table 1"))).hasCount(1);
  }

  private Page open(TestServer server) {
    Page page = browser.open(server.bridgePort(), 1440, 900, ColorScheme.LIGHT);
    expect(page.locator("#conn")).hasAttribute("data-state", "connected");
    return page;
  }

  /** Posts tool:pre/tool:post and subagent events round v1..v4 at {@code rate} for {@code seconds}. */
  private Future<Void> stream(Vertx vertx, TestServer server, int rate, int seconds) {
    Promise<Void> done = Promise.promise();
    int total = rate * seconds;
    int[] sent = {0};
    int[] answered = {0};
    vertx.setPeriodic(1, 1000 / rate, timer -> {
      if (++sent[0] == total) {
        vertx.cancelTimer(timer);
      }
      server.post("/api/events", nextEvent()).onComplete(answer -> {
        if (answer.failed() || answer.result().statusCode() != 200) {
          done.tryFail("ingest refused: " + (answer.succeeded() ? answer.result().bodyAsString() : answer.cause()));
          return;
        }
        lastSeq.accumulateAndGet(answer.result().bodyAsJsonObject().getLong("seq"), Math::max);
        if (++answered[0] == total) {
          done.tryComplete();
        }
      });
    });
    return done.future();
  }

  private JsonObject nextEvent() {
    int n = round++;
    String session = "v" + (1 + n % 4);
    return switch ((n / 4) % 4) {
      case 0 -> event("tool:pre", session, "toolName", "Bash", "toolInput", new JsonObject().put("command", "ls " + n));
      case 1 -> event("tool:post", session, "toolName", "Bash");
      case 2 -> event("context:update", session, "percent", n % 100, "tokens", n * 100);
      default -> event("prompt:submit", session, "prompt", "step " + n);
    };
  }

  private static long last(List<Long> seqs) {
    return seqs.get(seqs.size() - 1);
  }

  private static void waitForSeq(Page page, long seq) {
    page.waitForFunction("seq => hookbus.store.seq >= seq", (double) seq);
  }

  private static Locator card(Page page, int table) {
    return page.locator(".table-card[data-table='" + table + "']");
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }
}
