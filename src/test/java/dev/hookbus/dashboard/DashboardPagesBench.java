package dev.hookbus.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hookbus.dashboard.BrowserHarness.event;
import static dev.hookbus.support.Await.result;

/**
 * What N open dashboards cost the server: hookbus in a process of its own, N pages in headless Chromium, 20 sessions
 * and a steady stream of tool:pre/tool:post; counts the {@code hookbus.sync} requests the pages send (every frame
 * their WebSocket sends that names it) and the server's CPU (/proc) over the window. Reports, never asserts a figure.
 * {@code mvn -B -Dexec.skip -Dhookbus.bench=true -Ddashboard.pages=20 -Ddashboard.rate=50 -Ddashboard.seconds=20
 * -Dtest='DashboardPagesBench#syncRequestsAndServerCpuWithManyPagesOpen' -Dsurefire.failIfNoSpecifiedTests=false test};
 * the report is target/dashboard-pages.json (and target/dashboard-rereads.json for the other method).
 */
@ExtendWith(VertxExtension.class)
@EnabledIfSystemProperty(named = "hookbus.bench", matches = "true")
class DashboardPagesBench {
  private static final Logger log = LoggerFactory.getLogger(DashboardPagesBench.class);
  private static final int PAGES = Integer.getInteger("dashboard.pages", 20);
  private static final int RATE = Integer.getInteger("dashboard.rate", 50);
  private static final int WINDOW_S = Integer.getInteger("dashboard.seconds", 20);
  private static final int SESSIONS = 20;
  private static final Path REPORT = Paths.get("target", "dashboard-pages.json");
  /** Counts the frames a page's sockets send that name hookbus.sync; installed before the page's own scripts. */
  static final String COUNT_SYNCS = """
      window.__syncs = 0;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        if (typeof data === 'string' && data.includes('hookbus.sync')) window.__syncs++;
        return send.call(this, data);
      };""";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness();

  private int round;

  @Test
  void syncRequestsAndServerCpuWithManyPagesOpen(Vertx vertx, @TempDir Path dir) throws Exception {
    try (HookbusProcess hookbus = HookbusProcess.launch().under(dir).config(new JsonObject()
        .put("sessions", new JsonObject().put("tables", SESSIONS))
        .put("store", new JsonObject().put("enabled", false)).encode()).start()) {
      WebClient http = WebClient.create(vertx);
      List<Page> pages = new ArrayList<>();
      for (int i = 0; i < PAGES; i++) {
        Page page = browser.blank(1280, 800, ColorScheme.LIGHT);
        page.addInitScript(COUNT_SYNCS);
        page.navigate("http://127.0.0.1:" + hookbus.bridgePort() + "/");
        pages.add(page);
      }
      for (Page page : pages) {
        PlaywrightAssertions.assertThat(page.locator("#conn")).hasAttribute("data-state", "connected",
            new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
      }
      JsonArray starts = new JsonArray();
      for (int i = 0; i < SESSIONS; i++) {
        starts.add(event("session:start", session(i), "cwd", "/home/dev/src/project-" + i));
      }
      result(http.post(hookbus.ingestPort(), "127.0.0.1", "/api/events").sendJson(starts));
      result(stream(vertx, http, hookbus.ingestPort(), RATE, 3), 60);

      long syncsBefore = syncs(pages);
      double cpuBefore = cpuSeconds(hookbus.pid());
      long started = System.nanoTime();
      result(stream(vertx, http, hookbus.ingestPort(), RATE, WINDOW_S), WINDOW_S + 60);
      double wall = (System.nanoTime() - started) / 1e9;
      double cpu = cpuSeconds(hookbus.pid()) - cpuBefore;
      long syncs = syncs(pages) - syncsBefore;

      JsonObject report = new JsonObject().put("pages", PAGES).put("sessions", SESSIONS)
          .put("eventsPerSecond", RATE).put("wallSeconds", round(wall))
          .put("syncRequests", syncs).put("syncRequestsPerSecond", round(syncs / wall))
          .put("serverCpuSeconds", round(cpu)).put("serverCpuPercentOfOneCore", round(100 * cpu / wall))
          .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
      log.info("{} dashboards at {} events/s: {}", PAGES, RATE, report.encode());
      Files.createDirectories(REPORT.getParent());
      Files.writeString(REPORT, report.encodePrettily());
    }
  }

  /**
   * The server's side alone, without 100 browsers on 2 cores: {@code dashboard.clients} SockJS clients registered on
   * hookbus.events, alternately taking only the envelopes (as the page does now) and also re-reading the snapshot
   * every 1.5 s each (as the page did before), on the same server and stream.
   */
  @Test
  void serverCpuWithAndWithoutSnapshotReReads(Vertx vertx, @TempDir Path dir) throws Exception {
    int clients = Integer.getInteger("dashboard.clients", 100);
    try (HookbusProcess hookbus = HookbusProcess.launch().under(dir).config(new JsonObject()
        .put("sessions", new JsonObject().put("tables", SESSIONS))
        .put("store", new JsonObject().put("enabled", false)).encode()).start()) {
      WebClient http = WebClient.create(vertx);
      List<BridgeClient> subscribers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        SockJsWebSocketBridgeClient client = result(SockJsWebSocketBridgeClient.connect(vertx, hookbus.bridgePort(), ""));
        result(client.register(Addresses.EVENTS));
        vertx.setPeriodic(5000, id -> client.ping()); // as the page does: a silent socket is closed after 10 s
        subscribers.add(client);
      }
      JsonArray starts = new JsonArray();
      for (int i = 0; i < SESSIONS; i++) {
        starts.add(event("session:start", session(i), "cwd", "/home/dev/src/project-" + i));
      }
      result(http.post(hookbus.ingestPort(), "127.0.0.1", "/api/events").sendJson(starts));
      result(stream(vertx, http, hookbus.ingestPort(), RATE, 3), 60);
      JsonArray phases = new JsonArray();
      for (boolean reread : new boolean[] {false, true, false, true}) {
        AtomicLong syncs = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Long> timers = new ArrayList<>();
        if (reread) {
          for (int i = 0; i < clients; i++) {
            BridgeClient client = subscribers.get(i);
            long offset = 1 + i * 1500L / clients;
            vertx.setTimer(offset, t -> timers.add(vertx.setPeriodic(1500, id ->
                client.request(Addresses.SYNC, new JsonObject()).onSuccess(reply -> {
                  if ("rec".equals(reply.getString("type"))) {
                    syncs.incrementAndGet();
                  } else {
                    refused.incrementAndGet();
                  }
                }).onFailure(e -> {
                  if (refused.getAndIncrement() == 0) {
                    log.warn("a sync failed: {}", e.toString());
                  }
                }))));
          }
        }
        double cpuBefore = cpuSeconds(hookbus.pid());
        long started = System.nanoTime();
        result(stream(vertx, http, hookbus.ingestPort(), RATE, WINDOW_S), WINDOW_S + 60);
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = cpuSeconds(hookbus.pid()) - cpuBefore;
        timers.forEach(vertx::cancelTimer);
        JsonObject phase = new JsonObject().put("clients", clients).put("snapshotReReads", reread)
            .put("eventsPerSecond", RATE).put("wallSeconds", round(wall))
            .put("syncRepliesPerSecond", round(syncs.get() / wall)).put("syncsRefused", refused.get())
            .put("serverCpuPercentOfOneCore", round(100 * cpu / wall))
            .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
        log.info("{} clients at {} events/s: {}", clients, RATE, phase.encode());
        phases.add(phase);
      }
      Files.createDirectories(REPORT.getParent());
      Files.writeString(Paths.get("target", "dashboard-rereads.json"), phases.encodePrettily());
    }
  }

  private static long syncs(List<Page> pages) {
    long total = 0;
    for (Page page : pages) {
      total += ((Number) page.evaluate("window.__syncs")).longValue();
    }
    return total;
  }

  /** Posts tool:pre/tool:post round the sessions, one batch every 20 ms, at {@code rate} for {@code seconds}. */
  private Future<Void> stream(Vertx vertx, WebClient http, int port, int rate, int seconds) {
    Promise<Void> done = Promise.promise();
    long total = (long) rate * seconds;
    long started = System.nanoTime();
    long[] sent = {0};
    long[] answered = {0};
    vertx.setPeriodic(1, 20, timer -> {
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
      int size = batch.size();
      http.post(port, "127.0.0.1", "/api/events").sendJson(batch).onComplete(answer -> {
        if (answer.failed() || answer.result().statusCode() != 200) {
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
    return (n / SESSIONS) % 2 == 0
        ? event("tool:pre", session, "toolName", "Bash", "toolInput", new JsonObject().put("command", "mvn -q test -Dn=" + n))
        : event("tool:post", session, "toolName", "Bash");
  }

  private static String session(int i) {
    return String.format("bench-%02d-5b1e-4c2a-9f0d-%012d", i, i);
  }

  /** User plus system CPU seconds of {@code pid} so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
