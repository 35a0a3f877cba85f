package dev.hookbus.dashboard;

import com.google.gson.JsonElement;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hookbus.dashboard.BrowserHarness.event;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard under a steady stream: 20 sessions, tool:pre/tool:post at 0, 1, 50 and 200 events/s posted to the
 * ingest port. Checks that every event reaches the page and that the DOM stays bounded; reads the page's main-thread
 * time over the DevTools protocol and REPORTS it (log and target/dashboard-perf.json), never asserting a timing.
 * Longer windows for a steadier figure: {@code -Ddashboard.perf.seconds=20}.
 */
@ExtendWith(VertxExtension.class)
class DashboardLoadTest {
  private static final Logger log = LoggerFactory.getLogger(DashboardLoadTest.class);
  private static final int SESSIONS = 20;
  private static final int MAX_DOM_NODES = 3_000;
  private static final int WINDOW_S = Integer.getInteger("dashboard.perf.seconds", 6);
  private static final long TICK_MS = 20;
  private static final Path REPORT = Paths.get("target", "dashboard-perf.json");
  private static final String[] METRICS = {"TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"};
  private static final LocatorAssertions.HasCountOptions CATCH_UP = new LocatorAssertions.HasCountOptions()
      .setTimeout(60_000);
  /** Records, per seq, when its row first appeared in the stream (epoch ms, the same clock as Java's). */
  private static final String WATCH_ROWS = """
      () => { window.__shownAt = {};
        const note = el => { if (el.nodeType === 1 && el.dataset && el.dataset.seq && !(el.dataset.seq in __shownAt))
          __shownAt[el.dataset.seq] = performance.timeOrigin + performance.now(); };
        window.__rowWatch = new MutationObserver(records => { for (const r of records) {
          if (r.type === 'attributes') note(r.target); else r.addedNodes.forEach(note); } });
        __rowWatch.observe(document.getElementById('events'),
          { childList: true, subtree: true, attributes: true, attributeFilter: ['data-seq'] }); }""";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private final AtomicLong lastSeq = new AtomicLong();
  private final Map<Long, Long> postedAt = new ConcurrentHashMap<>();
  private int round;

  @Test
  void twentySessionsAtOneFiftyAndTwoHundredEventsASecond(Vertx vertx) throws IOException {
    TestServer server = TestServer.start(vertx, new JsonObject()
        .put("ingest", new JsonObject().put("instances", 1))
        .put("sessions", new JsonObject().put("tables", SESSIONS)));
    Page page = browser.open(server.bridgePort(), 1440, 960, ColorScheme.LIGHT);
    PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected");
    JsonObject[] starts = new JsonObject[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      starts[i] = event("session:start", session(i), "cwd", "/home/dev/src/project-" + i, "model", "claude-sonnet-4-5");
    }
    List<Long> seqs = server.postBatch(starts);
    lastSeq.set(seqs.get(seqs.size() - 1));
    waitForRow(page, lastSeq.get());
    PlaywrightAssertions.assertThat(page.locator(".table-card[data-session]")).hasCount(SESSIONS);

    CDPSession cdp = page.context().newCDPSession(page);
    cdp.send("Performance.enable");
    JsonArray phases = new JsonArray();
    for (int rate : new int[] {0, 1, 50, 200}) {
      result(stream(vertx, server, rate, 2), 30); // warm-up: the page reaches its steady state
      Map<String, Double> before = metrics(cdp);
      result(stream(vertx, server, rate, WINDOW_S), WINDOW_S + 30);
      Map<String, Double> after = metrics(cdp);
      JsonObject phase = perSecond(rate, before, after);
      waitForRow(page, lastSeq.get());
      phase.put("domNodes", ((Number) page.evaluate("document.getElementsByTagName('*').length")).intValue());
      phase.put("streamRows", page.locator("#events .ev").count());
      log.info("dashboard at {} events/s: {}", rate, phase.encode());
      phases.add(phase);
      assertEveryEventReachedThePage(page);
    }

    page.evaluate(WATCH_ROWS);
    postedAt.clear();
    result(stream(vertx, server, 50, WINDOW_S), WINDOW_S + 30);
    waitForRow(page, lastSeq.get());
    JsonObject latency = latency(page);
    log.info("dashboard POST-to-visible at 50 events/s: {}", latency.encode());

    JsonObject report = new JsonObject().put("sessions", SESSIONS).put("windowSeconds", WINDOW_S)
        .put("phases", phases).put("postToVisibleAt50PerSecond", latency);
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, report.encodePrettily());

    for (Object phase : phases) {
      assertThat(((JsonObject) phase).getInteger("domNodes")).isLessThan(MAX_DOM_NODES);
    }
    browser.assertNoConsoleErrors();
    browser.closePages();
    server.stop();
  }

  /** Posts tool:pre/tool:post round the sessions at {@code rate} for {@code seconds}; completes when all answered. */
  private Future<Void> stream(Vertx vertx, TestServer server, int rate, int seconds) {
    Promise<Void> done = Promise.promise();
    if (rate == 0) {
      vertx.setTimer(seconds * 1000L, id -> done.complete());
      return done.future();
    }
    long total = (long) rate * seconds;
    long started = System.nanoTime();
    long[] sent = {0};
    long[] answered = {0};
    vertx.setPeriodic(1, TICK_MS, timer -> {
      long due = Math.min(total, (System.nanoTime() - started) / 1_000_000 * rate / 1000 + 1);
      if (due <= sent[0]) {
        return;
      }
      JsonArray batch = new JsonArray();
      for (long n = sent[0]; n < due; n++) {
        batch.add(nextEvent());
      }
      sent[0] = due;
      if (sent[0] == total) {
        vertx.cancelTimer(timer);
      }
      long postedMs = System.currentTimeMillis();
      int size = batch.size();
      server.post("/api/events", batch).onComplete(answer -> {
        if (answer.succeeded() && answer.result().statusCode() == 200) {
          for (Object seq : answer.result().bodyAsJsonObject().getJsonArray("seqs")) {
            long s = ((Number) seq).longValue();
            postedAt.put(s, postedMs);
            lastSeq.accumulateAndGet(s, Math::max);
          }
        } else {
          done.tryFail("ingest refused a batch: " + (answer.succeeded() ? answer.result().bodyAsString() : answer.cause()));
        }
        answered[0] += size;
        if (answered[0] == total) {
          done.tryComplete();
        }
      });
    });
    return done.future();
  }

  private JsonObject nextEvent() {
    int n = round++;
    String session = session(n % SESSIONS);
    boolean pre = (n / SESSIONS) % 2 == 0;
    return pre
        ? event("tool:pre", session, "toolName", "Bash", "toolInput", new JsonObject().put("command", "mvn -q test -Dn=" + n))
        : event("tool:post", session, "toolName", "Bash");
  }

  private static String session(int i) {
    return String.format("load-%02d-5b1e-4c2a-9f0d-%012d", i, i);
  }

  private static void waitForRow(Page page, long seq) {
    Locator row = page.locator("#events .ev[data-seq='" + seq + "']");
    PlaywrightAssertions.assertThat(row).hasCount(1, CATCH_UP);
  }

  /** The page holds the last seq, and the stream keeps every envelope in order with none missing. */
  private void assertEveryEventReachedThePage(Page page) {
    assertThat(((Number) page.evaluate("hookbus.store.seq")).longValue()).isEqualTo(lastSeq.get());
    Object gaps = page.evaluate("""
        () => { const seqs = hookbus.stream.items.filter(e => !e.gap).map(e => e.seq); let gaps = 0;
          for (let i = 1; i < seqs.length; i++) if (seqs[i] !== seqs[i - 1] + 1) gaps++;
          return { gaps, last: seqs[seqs.length - 1] }; }""");
    @SuppressWarnings("unchecked") Map<String, Object> kept = (Map<String, Object>) gaps;
    assertThat(((Number) kept.get("gaps")).intValue()).isZero();
    assertThat(((Number) kept.get("last")).longValue()).isEqualTo(lastSeq.get());
  }

  private static Map<String, Double> metrics(CDPSession cdp) {
    Map<String, Double> values = new HashMap<>();
    for (JsonElement metric : cdp.send("Performance.getMetrics").getAsJsonArray("metrics")) {
      values.put(metric.getAsJsonObject().get("name").getAsString(), metric.getAsJsonObject().get("value").getAsDouble());
    }
    return values;
  }

  /** Each duration as a share of one core over the window's wall time (CDP's Timestamp, in seconds). */
  private static JsonObject perSecond(int rate, Map<String, Double> before, Map<String, Double> after) {
    double wall = after.get("Timestamp") - before.get("Timestamp");
    JsonObject phase = new JsonObject().put("eventsPerSecond", rate).put("wallSeconds", round(wall));
    for (String name : METRICS) {
      phase.put(name + "Percent", round(100 * (after.get(name) - before.get(name)) / wall));
    }
    phase.put("recalcStylesPerSecond", round((after.get("RecalcStyleCount") - before.get("RecalcStyleCount")) / wall));
    phase.put("layoutsPerSecond", round((after.get("LayoutCount") - before.get("LayoutCount")) / wall));
    return phase;
  }

  private JsonObject latency(Page page) {
    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) page.evaluate("window.__shownAt");
    List<Long> delays = new ArrayList<>();
    postedAt.forEach((seq, posted) -> {
      Object at = shown.get(String.valueOf(seq));
      if (at != null) {
        delays.add(Math.round(((Number) at).doubleValue()) - posted);
      }
    });
    delays.sort(Long::compare);
    JsonObject out = new JsonObject().put("posted", postedAt.size()).put("seen", delays.size());
    if (!delays.isEmpty()) {
      out.put("p50Ms", delays.get(delays.size() / 2)).put("p99Ms", delays.get((int) (delays.size() * 0.99)))
          .put("maxMs", delays.get(delays.size() - 1))
          .put("within250Ms", round(100.0 * delays.stream().filter(d -> d <= 250).count() / delays.size()));
    }
    return out;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
