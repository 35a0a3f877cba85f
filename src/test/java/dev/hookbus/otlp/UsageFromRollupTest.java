package dev.hookbus.otlp;

import dev.hookbus.config.AppConfig;
import dev.hookbus.state.UsageJournalFixture;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static dev.hookbus.otlp.OtlpBodies.event;
import static dev.hookbus.otlp.OtlpBodies.point;
import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /api/usage} answers from the kept rollup exactly what a scan of the journal's usage envelopes gives
 * (UsageReport over {@code GET /api/events}, the old way, is the reference): by session, model and day, without and
 * with since/until (whole days, whole hours, and bounds inside hours, which read those hours from the journal), over a
 * journal written across days, then with live OTLP on top, across a graceful restart, a kill -9, and retention.
 */
class UsageFromRollupTest {
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final String OPUS = "claude-opus-4-5";
  private static final String HAIKU = "claude-haiku-4-5";

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final List<HookbusProcess> processes = new ArrayList<>();
  /** Start of the fixture's span: three days before today (UTC) began, plus 20 minutes and some ms. */
  private final long start = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY - 3 * DAY + 20 * 60_000 + 123;

  @AfterEach
  void close() {
    processes.forEach(HookbusProcess::destroyIfAlive);
    result(vertx.close());
  }

  @Test
  @DisplayName("over a journal of three days, then live usage on top, then after a graceful restart: every query "
      + "equals the full scan")
  void equalsTheFullScanAcrossAGracefulRestart() {
    Path journal = dir.resolve("data");
    AppConfig config = AppConfig.from(new JsonObject()).withStorePath(journal.toString());
    UsageJournalFixture.write(config.store(), config.sessions(), 3_000, start, 2 * DAY + 5 * HOUR, 2);
    TestServer.Options options = TestServer.options().store(journal)
        .config(new JsonObject().put("store", new JsonObject().put("checkpointEvents", 97)));

    TestServer first = options.start(vertx);
    long liveFrom = equalsTheScanBeforeAndAfterLiveUsage(first);
    first.stop();

    TestServer second = options.start(vertx);
    assertEveryQueryEqualsTheScan(uri -> second.get(uri).bodyAsJsonObject(), bounds(liveFrom));
    postLiveUsage(second.ingestPort(), 1);
    assertEveryQueryEqualsTheScan(uri -> second.get(uri).bodyAsJsonObject(), bounds(liveFrom));
    second.stop();
  }

  @Test
  @DisplayName("kill -9 while checkpoints (with the rollup) are written: the restart brings the rollup up to date "
      + "from the journal tail, and every query equals the full scan")
  void equalsTheFullScanAfterAKill() throws Exception {
    Path journal = dir.resolve("data");
    AppConfig config = AppConfig.from(new JsonObject()).withStorePath(journal.toString());
    UsageJournalFixture.write(config.store(), config.sessions(), 2_000, start, 2 * DAY, 3);
    String json = new JsonObject()
        .put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", journal.toString()).put("fsync", "batch")
            .put("checkpointEvents", 13))
        .encode();

    HookbusProcess first = started(HookbusProcess.start(dir, json));
    assertThat(first.listening()).as(first.log()).isTrue();
    long liveFrom = postLiveUsage(first.ingestPort(), 0);
    postLiveUsage(first.ingestPort(), 1);
    first.kill9();
    first.waitForExit();

    HookbusProcess second = started(HookbusProcess.start(dir, json));
    assertThat(second.listening()).as(second.log()).isTrue();
    assertThat(second.log()).containsPattern("checkpoint at [1-9]");
    assertEveryQueryEqualsTheScan(uri -> get(second.ingestPort(), uri), bounds(liveFrom));
  }

  @Test
  @DisplayName("retention deletes old segments while it runs and before a start: the answers follow what the "
      + "journal still holds, the hour it cut through included")
  void followsRetention() {
    Path journal = dir.resolve("data");
    JsonObject store = new JsonObject().put("maxEvents", 800).put("checkpointEvents", 50);
    AppConfig config = AppConfig.from(new JsonObject().put("store", store)).withStorePath(journal.toString());
    UsageJournalFixture.write(config.store(), config.sessions(), 3_000, start, 2 * DAY, 2);
    // a short history window, so that GET /api/events (the reference) reads the journal, not what memory still has
    TestServer.Options options = TestServer.options().store(journal).config(new JsonObject().put("store", store)
        .put("sessions", new JsonObject().put("historySize", 100)));

    TestServer first = options.start(vertx);
    // the start restores over the whole journal, then retention deletes all but the last ~900 events
    result(first.eventually(() -> firstSeq(first), seq -> seq > 1));
    long liveFrom = equalsTheScanBeforeAndAfterLiveUsage(first);
    first.stop();

    TestServer second = options.start(vertx);
    long before = result(firstSeq(second));
    for (int round = 2; result(firstSeq(second)) == before; round++) {
      postLiveUsage(second.ingestPort(), round); // until the next retention pass deletes more
    }
    assertEveryQueryEqualsTheScan(uri -> second.get(uri).bodyAsJsonObject(), bounds(liveFrom));
    second.stop();
  }

  private HookbusProcess started(HookbusProcess process) {
    processes.add(process);
    return process;
  }

  private Future<Long> firstSeq(TestServer server) {
    return server.http().get(server.ingestPort(), "127.0.0.1", "/api/events?after=0&limit=1").send()
        .map(r -> r.bodyAsJsonObject().getJsonArray("events").getJsonObject(0).getLong("seq"));
  }

  private JsonObject get(int port, String uri) {
    HttpResponse<Buffer> response = result(client.get(port, "127.0.0.1", uri).send());
    assertThat(response.statusCode()).as(uri + " " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /**
   * Posts Claude Code's exports for three sessions (api_request events and delta metric points), in two halves;
   * returns the time between them, a bound inside the current hour.
   */
  /** Every query equals the scan, then again after live usage is posted; returns where the live usage starts. */
  private long equalsTheScanBeforeAndAfterLiveUsage(TestServer server) {
    Function<String, JsonObject> ask = uri -> server.get(uri).bodyAsJsonObject();
    assertEveryQueryEqualsTheScan(ask, bounds(null));
    long liveFrom = postLiveUsage(server.ingestPort(), 0);
    assertEveryQueryEqualsTheScan(ask, bounds(liveFrom));
    return liveFrom;
  }

  private long postLiveUsage(int port, int round) {
    long between = 0;
    for (int i = 0; i < 40; i++) {
      if (i == 20) {
        between = System.currentTimeMillis();
      }
      String session = "live-" + (i % 3);
      String model = i % 4 == 0 ? HAIKU : OPUS;
      post(port, "/v1/logs", OtlpBodies.logsJson(List.of(
          event("api_request", "session.id", session, "model", model, "cost_usd", "0.0" + (i % 9 + 1) + round,
              "input_tokens", String.valueOf(100 + i), "output_tokens", String.valueOf(7 * i)))));
      if (i % 3 != 0) {
        post(port, "/v1/metrics", OtlpBodies.metricsJson(1,
            point("claude_code.cost.usage", session, model, null, 0.01 * i + round, i),
            point("claude_code.token.usage", session, model, "cacheRead", 1000 + i, i)));
      }
    }
    return between;
  }

  private void post(int port, String path, String json) {
    int status = result(client.post(port, "127.0.0.1", path).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(json))).statusCode();
    assertThat(status).isEqualTo(200);
  }

  /** since/until pairs: none, whole days, whole hours, inside hours, one hour's inside, the live hour split. */
  private List<Long[]> bounds(Long live) {
    List<Long[]> bounds = new ArrayList<>();
    bounds.add(new Long[] {null, null});
    bounds.add(new Long[] {start - start % DAY + DAY, null});
    bounds.add(new Long[] {null, start - start % DAY + 2 * DAY});
    bounds.add(new Long[] {start - start % HOUR + 5 * HOUR, start - start % HOUR + 29 * HOUR});
    bounds.add(new Long[] {start + 7 * HOUR + 1_234_567, start + DAY + 3 * HOUR + 2_345_678});
    bounds.add(new Long[] {start + 30 * HOUR + 600_000, start + 30 * HOUR + 2_400_000});
    bounds.add(new Long[] {start + 40 * HOUR + 17, null});
    if (live != null) {
      bounds.add(new Long[] {live, null});
      bounds.add(new Long[] {start + HOUR + 5, live});
    }
    return bounds;
  }

  private static void assertEveryQueryEqualsTheScan(Function<String, JsonObject> ask, List<Long[]> bounds) {
    for (String by : List.of("session", "model", "day")) {
      for (Long[] b : bounds) {
        String range = (b[0] == null ? "" : "&since=" + b[0]) + (b[1] == null ? "" : "&until=" + b[1]);
        JsonObject answer = ask.apply("/api/usage?by=" + by + range);
        JsonObject scan = fullScan(ask, by, range);
        assertSame(answer, scan, "by=" + by + range);
        assertThat(answer.getLong("since")).isEqualTo(b[0]);
      }
    }
  }

  /** The reference: every usage envelope of the range read through GET /api/events and summed by UsageReport. */
  private static JsonObject fullScan(Function<String, JsonObject> ask, String by, String range) {
    UsageReport report = new UsageReport(UsageReport.By.valueOf(by.toUpperCase(Locale.ROOT)));
    for (String type : List.of("usage:metrics", "usage:api-request")) {
      Long after = 0L;
      while (after != null) {
        JsonObject page = ask.apply("/api/events?type=" + type + "&limit=1000&after=" + after + range);
        page.getJsonArray("events").forEach(e -> report.add((JsonObject) e));
        after = page.getLong("next");
      }
    }
    return report.toJson();
  }

  private static void assertSame(JsonObject answer, JsonObject scan, String query) {
    assertThat(answer.getString("by")).as(query).isEqualTo(scan.getString("by"));
    Map<String, JsonObject> rows = rows(answer);
    Map<String, JsonObject> expected = rows(scan);
    assertThat(rows.keySet()).as(query).containsExactlyInAnyOrderElementsOf(expected.keySet());
    if (query.startsWith("by=day")) {
      assertThat(List.copyOf(rows.keySet())).as(query).isEqualTo(List.copyOf(expected.keySet()));
    }
    expected.forEach((key, row) -> assertSameSums(rows.get(key), row, query + " row " + key));
    assertSameSums(answer.getJsonObject("total"), scan.getJsonObject("total"), query + " total");
    if (!query.contains("&")) {
      assertThat(scan.getJsonArray("rows")).as(query + ": a query that sums nothing tests nothing").isNotEmpty();
    }
  }

  private static void assertSameSums(JsonObject actual, JsonObject expected, String what) {
    // the same additions in another order: equal but for the last bits of a double
    assertThat(actual.getDouble("costUsd")).as(what).isCloseTo(expected.getDouble("costUsd"), within(1e-9));
    assertThat(actual.getJsonObject("tokens")).as(what).isEqualTo(expected.getJsonObject("tokens"));
    assertThat(actual.getLong("apiRequests")).as(what).isEqualTo(expected.getLong("apiRequests"));
  }

  private static Map<String, JsonObject> rows(JsonObject report) {
    Map<String, JsonObject> rows = new LinkedHashMap<>();
    String by = report.getString("by");
    JsonArray list = report.getJsonArray("rows");
    for (int i = 0; i < list.size(); i++) {
      rows.put(list.getJsonObject(i).getString(by), list.getJsonObject(i));
    }
    return rows;
  }
}
