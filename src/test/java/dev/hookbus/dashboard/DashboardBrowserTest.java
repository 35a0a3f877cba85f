package dev.hookbus.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
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

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static dev.hookbus.support.Await.result;
import static dev.hookbus.dashboard.BrowserHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against a real hookbus on free ports, with two tables so a third
 * session has to queue. Every wait is on a DOM condition; none is a sleep.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {
  /** The issue's promise: a POSTed event shows on its table within a second. */
  private static final LocatorAssertions.HasAttributeOptions LIVE =
      new LocatorAssertions.HasAttributeOptions().setTimeout(1_000);
  private static final LocatorAssertions.ContainsTextOptions LIVE_TEXT =
      new LocatorAssertions.ContainsTextOptions().setTimeout(1_000);
  /** Reconnect backs off up to 4 s in the page; allow a few rounds. */
  private static final LocatorAssertions.HasAttributeOptions RECOVERY =
      new LocatorAssertions.HasAttributeOptions().setTimeout(20_000);

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private TestServer server;
  private Page page;

  @BeforeEach
  void deploy(Vertx vertx) {
    server = options().start(vertx);
  }

  /** Two tables, so a third session queues; metrics often, so the header fills quickly. */
  private static TestServer.Options options() {
    // One ingest instance: several instances on port 0 fail to share it (MainVerticle.deployOnOnePort).
    return TestServer.options().config(new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", 2))
        .put("metrics", new JsonObject().put("intervalMs", 200)));
  }

  @Test
  void pageLoadsConnectedWithoutConsoleErrors() {
    open(server.bridgePort());
    post(event("tool:pre", "s-load", "toolName", "Bash"));
    expect(card(0)).hasAttribute("data-session", "s-load", LIVE);
    expect(page.locator("#kpi-clients")).hasText("1");
    assertThat((Boolean) page.evaluate("typeof EventBus === 'function' && typeof SockJS === 'function'")).isTrue();
    browser.assertNoConsoleErrors();
  }

  /** The README's "see it work" snippet, as a newcomer pastes it into the console of the dashboard page. */
  @Test
  void readmeConsoleSnippetReceivesEvents() {
    open(server.bridgePort());
    expect(page.locator("#conn")).hasAttribute("data-state", "connected", RECOVERY);
    page.evaluate("""
        () => { window.seen = [];
          const eb = new EventBus(location.origin + '/eventbus');
          eb.onopen = () => eb.registerHandler('hookbus.events', (err, msg) => window.seen.push(msg.body)); }""");
    // The client's registration has no acknowledgement: post (from the page, as curl would) until the snippet sees one.
    page.waitForFunction("""
        async (port) => {
          if (window.seen.some(e => e.sessionId === 's-readme')) return true;
          await fetch('http://127.0.0.1:' + port + '/api/events', {method: 'POST',
            body: JSON.stringify({type: 'session:start', payload: {sessionId: 's-readme'}})});
          return false;
        }""", server.ingestPort(), new Page.WaitForFunctionOptions().setPollingInterval(200));
    browser.assertNoConsoleErrors();
  }

  @Test
  void postedEventsShowOnTheirTableWithinASecond() {
    open(server.bridgePort());
    post(event("session:start", "s-one", "cwd", "/home/dev/shop", "model", "claude-opus"));
    expect(card(0)).hasAttribute("data-session", "s-one", LIVE);
    post(event("session:start", "s-two"));
    expect(card(1)).hasAttribute("data-session", "s-two", LIVE);

    post(event("tool:pre", "s-two", "toolName", "Bash", "toolInput", new JsonObject().put("command", "ls")));
    expect(card(1).locator(".status .tool")).containsText("Bash", LIVE_TEXT);
    post(event("context:update", "s-two", "percent", 93.5, "tokens", 187_000));
    expect(card(1).locator(".gauge .pct")).containsText("93.5%", LIVE_TEXT);
    expect(card(1)).hasClass(Pattern.compile("critical"));
    post(event("permission:request", "s-one", "toolName", "Write"));
    expect(card(0)).hasAttribute("data-status", "waiting", LIVE);
    expect(card(0).locator(".status")).containsText("needs permission: Write");
    post(event("turn:stop", "s-one", "lastMessage", "All done."));
    expect(card(0)).hasAttribute("data-status", "idle", LIVE);
    expect(card(1)).hasAttribute("data-status", "active");
    expect(page.locator("#kpi-sessions")).hasText("2");
  }

  @Test
  void anOverflowingSessionQueuesAndTakesTheTableThatFrees() {
    open(server.bridgePort());
    post(event("session:start", "s-a"), event("session:start", "s-b"), event("session:start", "s-c"));
    expect(page.locator("#queue .queue-item[data-session='s-c']")).isVisible();
    expect(page.locator(".table-card[data-session='s-c']")).hasCount(0);

    post(event("session:end", "s-a"));
    expect(card(0)).hasAttribute("data-session", "s-c", LIVE);
    expect(page.locator("#queue")).isHidden();
    expect(card(1)).hasAttribute("data-session", "s-b");
  }

  @Test
  void aSubagentChipComesAndGoes() {
    open(server.bridgePort());
    post(event("session:start", "s-sub"),
        event("subagent:start", "s-sub", "agentId", "ag-1", "agentType", "Explore", "description", "find tests"));
    Locator chip = card(0).locator(".agent-chip[data-agent='ag-1']");
    expect(chip).containsText("Explore", LIVE_TEXT);
    post(event("tool:pre", "s-sub", "toolName", "Grep", "agentId", "ag-1"));
    expect(chip.locator(".agent-tool")).containsText("Grep", LIVE_TEXT);
    post(event("subagent:stop", "s-sub", "agentId", "ag-1"));
    expect(chip).hasCount(0);
    expect(page.locator("#kpi-agents")).hasText("0");
  }

  @Test
  void recoversFromACutSocketWithoutMissingOrRepeatingEvents(Vertx vertx) {
    CuttableProxy proxy = new CuttableProxy(vertx, server.bridgePort());
    open(result(proxy.start()));
    List<Long> seqs = new ArrayList<>(post(event("session:start", "s-cut"),
        event("tool:pre", "s-cut", "toolName", "Read")));
    expect(page.locator("#events .ev[data-seq='" + seqs.get(1) + "']")).hasCount(1);

    proxy.cut();
    expect(page.locator("#conn")).hasAttribute("data-state", "reconnecting", RECOVERY);
    for (int i = 0; i < 5; i++) {
      seqs.addAll(post(event("tool:post", "s-cut", "toolName", "Read"),
          event("tool:pre", "s-cut", "toolName", "Edit" + i)));
    }
    proxy.restore();
    expect(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("resynced|connected"), RECOVERY);
    seqs.addAll(post(event("tool:post", "s-cut", "toolName", "Edit4"),
        event("prompt:submit", "s-cut", "prompt", "after")));

    long last = seqs.get(seqs.size() - 1);
    expect(page.locator("#events .ev[data-seq='" + last + "']")).hasCount(1);
    List<Long> shown = page.locator("#events .ev[data-seq]").all().stream()
        .map(row -> Long.parseLong(row.getAttribute("data-seq"))).toList();
    assertThat(shown).containsExactlyElementsOf(LongStream.iterate(last, s -> s >= 1, s -> s - 1).boxed().toList());
    assertThat(((Number) page.evaluate("hookbus.connection.recoveries")).intValue()).isGreaterThanOrEqualTo(1);
    expect(card(0).locator(".card-foot")).containsText("1 prompt");
    expect(card(0)).hasAttribute("data-status", "active");
    result(proxy.close());
  }

  @Test
  void catchesUpPageByPageAfterABurstLargerThanOneHistoryReply(Vertx vertx) {
    CuttableProxy proxy = new CuttableProxy(vertx, server.bridgePort());
    open(result(proxy.start()));
    List<Long> seqs = new ArrayList<>(post(event("session:start", "s-burst")));
    expect(page.locator("#events .ev[data-seq='" + seqs.get(0) + "']")).hasCount(1);

    proxy.cut();
    expect(page.locator("#conn")).hasAttribute("data-state", "reconnecting", RECOVERY);
    // 120 Writes of 20 KB: their cut copies take several history pages.
    String content = "w".repeat(20_000);
    JsonObject[] burst = new JsonObject[120];
    for (int i = 0; i < burst.length; i++) {
      burst[i] = event("tool:post", "s-burst", "toolName", "Write", "content", content);
    }
    seqs.addAll(post(burst));
    proxy.restore();
    expect(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("resynced|connected"), RECOVERY);

    long last = seqs.get(seqs.size() - 1);
    expect(page.locator("#events .ev[data-seq='" + last + "']")).hasCount(1);
    // The stream is virtualised (only the rows in view are in the DOM): read what it holds, newest first.
    @SuppressWarnings("unchecked")
    List<Number> held = (List<Number>) page.evaluate(
        "hookbus.stream.shown.filter(e => e.seq != null).map(e => e.seq).reverse()");
    List<Long> shown = held.stream().map(Number::longValue).toList();
    assertThat(shown).containsExactlyElementsOf(LongStream.iterate(last, s -> s >= 1, s -> s - 1).boxed().toList());
    result(proxy.close());
  }

  @Test
  void survivesAServerRestartWithoutAReload(Vertx vertx) {
    open(server.bridgePort());
    page.evaluate("window.notReloaded = true");
    post(event("session:start", "s-old"), event("tool:pre", "s-old", "toolName", "Read"));
    expect(card(0)).hasAttribute("data-session", "s-old", LIVE);

    int ingestPort = server.ingestPort();
    int bridgePort = server.bridgePort();
    server.stop();
    expect(page.locator("#conn")).hasAttribute("data-state", "reconnecting", RECOVERY);
    server = options().ports(ingestPort, bridgePort).start(vertx);
    expect(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("resynced|connected"), RECOVERY);

    post(event("tool:pre", "s-new", "toolName", "Bash"));
    expect(page.locator(".table-card[data-session='s-new'] .status .tool")).hasText("Bash");
    expect(page.locator("#events .ev[data-session='s-new'][data-type='tool:pre']")).hasCount(1);
    assertThat(page.evaluate("window.notReloaded")).isEqualTo(true);
  }

  @Test
  void detailShowsTheFullJsonAndToleratesAMissingFullEvent() {
    open(server.bridgePort());
    List<Long> seqs = post(event("prompt:submit", "s-d", "prompt", "a long prompt…[truncated 5000 chars]"));
    page.locator("#events .ev[data-seq='" + seqs.get(0) + "']").click();
    expect(page.locator("#detail")).isVisible();
    expect(page.locator("#detail-title")).hasText("#" + seqs.get(0) + " prompt:submit");
    expect(page.locator("#detail-json")).containsText("\"sessionId\": \"s-d\"");
    expect(page.locator("#detail-note")).hasText(Pattern.compile("^(Full event from|As broadcast)"));
    page.locator("#detail-close").click();
    expect(page.locator("#detail")).isHidden();
  }

  @Test
  void filtersNarrowTheStream() {
    open(server.bridgePort());
    JsonObject agentTool = event("tool:pre", "s-f2", "toolName", "Glob", "agentId", "ag-f");
    List<Long> seqs = post(event("session:start", "s-f1"), event("tool:pre", "s-f1", "toolName", "Bash"),
        event("session:start", "s-f2"), event("subagent:start", "s-f2", "agentId", "ag-f", "agentType", "Plan"),
        agentTool, event("prompt:submit", "s-f2", "prompt", "please find the needle"));
    Locator rows = page.locator("#events .ev[data-seq]");
    expect(rows).hasCount(seqs.size());

    page.locator("#f-session").selectOption("s-f1");
    expect(rows).hasCount(2);
    expect(page.locator("#events .ev[data-session='s-f2']")).hasCount(0);
    page.locator("#f-session").selectOption("");
    page.locator("#f-type").selectOption("tool:pre");
    expect(rows).hasCount(2);
    page.locator("#f-agent").selectOption("ag-f");
    expect(rows).hasCount(1);
    expect(rows.first()).containsText("Glob");
    page.locator("#f-agent").selectOption("");
    page.locator("#f-type").selectOption("");
    page.locator("#f-text").fill("needle");
    expect(rows).hasCount(1);
    expect(rows.first()).hasAttribute("data-type", "prompt:submit");
    page.locator("#f-text").fill("");
    expect(rows).hasCount(seqs.size());

    page.locator("#pause").click();
    post(event("tool:post", "s-f1", "toolName", "Bash"));
    expect(page.locator("#pause")).containsText("1 new");
    expect(rows).hasCount(seqs.size());
    page.locator("#pause").click();
    expect(rows).hasCount(seqs.size() + 1);

    rows.first().click();
    expect(page.locator("#detail")).isVisible();
    expect(page.locator("#detail-json")).containsText("\"toolName\": \"Bash\"");
  }

  /** The stream is virtualised: a long backlog keeps few rows in the DOM, yet every kept event can be scrolled to. */
  @Test
  void aLongStreamKeepsFewRowsInTheDomAndScrollsToTheOldest() {
    open(server.bridgePort());
    List<Long> seqs = new ArrayList<>(post(event("session:start", "s-long", "cwd", "/home/dev/long")));
    for (int batch = 0; batch < 6; batch++) {
      JsonObject[] events = new JsonObject[100];
      for (int i = 0; i < events.length; i++) {
        events[i] = event("tool:pre", "s-long", "toolName", "Read", "toolInput",
            new JsonObject().put("file_path", "src/file-" + (batch * 100 + i) + ".java"));
      }
      seqs.addAll(post(events));
    }
    long first = seqs.get(0);
    long last = seqs.get(seqs.size() - 1);
    expect(page.locator("#events .ev[data-seq='" + last + "']")).hasCount(1);
    expect(page.locator("#stream-foot")).containsText(seqs.size() + " events kept");
    assertThat(page.locator("#events .ev").count()).isBetween(10, 200);

    page.locator("#events-box").evaluate("box => box.scrollTop = box.scrollHeight");
    Locator oldest = page.locator("#events .ev[data-seq='" + first + "']");
    expect(oldest).hasCount(1);
    assertThat(page.locator("#events .ev[data-seq='" + last + "']").count()).isZero();
    double before = oldest.boundingBox().y;

    // A reader scrolled down keeps their place while new rows join at the top.
    List<Long> more = post(event("tool:post", "s-long", "toolName", "Read"), event("tool:post", "s-long", "toolName", "Read"));
    expect(page.locator("#stream-foot")).containsText((seqs.size() + more.size()) + " events kept");
    expect(oldest).hasCount(1);
    assertThat(oldest.boundingBox().y).isCloseTo(before, org.assertj.core.data.Offset.offset(1.0));

    oldest.click();
    expect(page.locator("#detail-title")).hasText("#" + first + " session:start");
    expect(page.locator("#detail-json")).containsText("/home/dev/long");
    browser.assertNoConsoleErrors();
  }

  private void open(int port) {
    page = browser.open(port, 1400, 900, ColorScheme.LIGHT);
    expect(page.locator("#conn")).hasAttribute("data-state", "connected");
  }

  private List<Long> post(JsonObject... events) {
    return server.postBatch(events);
  }

  private Locator card(int table) {
    return page.locator(".table-card[data-table='" + table + "']");
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }
}
