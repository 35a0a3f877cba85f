package dev.hookbus.otlp;

import dev.hookbus.config.AppConfig;
import dev.hookbus.state.UsageJournalFixture;
import dev.hookbus.support.HookbusProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hookbus.otlp.OtlpBodies.event;
import static dev.hookbus.support.Await.result;

/**
 * How long {@code GET /api/usage} takes on a large journal: the first call after a start that replayed it all, the
 * same after a graceful restart (checkpoint) and after a kill -9 (checkpoint plus tail), hookbus in a process of its
 * own. Reports, never asserts; writes {@code target/usage-bench.json}.
 * {@code mvn -B -q -o -Dexec.skip -Dhookbus.bench=true -Dusage.events=200000 -Dtest=UsageBench
 * -Dsurefire.failIfNoSpecifiedTests=false test}
 */
@EnabledIfSystemProperty(named = "hookbus.bench", matches = "true")
class UsageBench {
  private static final Logger LOG = LoggerFactory.getLogger(UsageBench.class);
  private static final long DAY = 86_400_000L;

  @TempDir
  Path dir;

  @Test
  void firstCallLatency() throws Exception {
    long events = Long.getLong("usage.events", 200_000);
    Path journal = dir.resolve("data");
    AppConfig config = AppConfig.from(new JsonObject()).withStorePath(journal.toString());
    long now = System.currentTimeMillis();
    long written = UsageJournalFixture.write(config.store(), config.sessions(), events, now - 6 * DAY, 6 * DAY, 4);
    String json = new JsonObject()
        .put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", journal.toString()))
        .encode();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("events", written);
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx);
    try {
      HookbusProcess first = timedStart(json, "startFullReplayMs", figures);
      calls(client, first.ingestPort(), "afterFullReplay", figures, now);
      first.sigterm();
      first.waitForExit();
      figures.put("checkpointBytes", Files.size(journal.resolve("checkpoint")));

      HookbusProcess second = timedStart(json, "startAfterGracefulStopMs", figures);
      calls(client, second.ingestPort(), "afterGracefulRestart", figures, now);
      for (int i = 0; i < 200; i++) {
        int status = result(client.post(second.ingestPort(), "127.0.0.1", "/v1/logs")
            .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(OtlpBodies.logsJson(List.of(
                event("api_request", "session.id", "bench-live", "model", "claude-opus-4-5", "cost_usd", "0.01",
                    "input_tokens", "10"))))))
            .statusCode();
        if (status != 200) {
          throw new AssertionError("POST /v1/logs answered " + status);
        }
      }
      second.kill9();
      second.waitForExit();

      HookbusProcess third = timedStart(json, "startAfterKill9Ms", figures);
      calls(client, third.ingestPort(), "afterKill9", figures, now);
      third.sigterm();
      third.waitForExit();
    } finally {
      result(vertx.close());
    }
    String out = new JsonObject(figures).encodePrettily();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "usage-bench.json"), out);
    LOG.info("usage bench: {}", new JsonObject(figures).encode());
  }

  private static HookbusProcess timedStart(String json, String name, Map<String, Object> figures) throws Exception {
    long t0 = System.nanoTime();
    HookbusProcess process = HookbusProcess.start(null, json);
    figures.put(name, (System.nanoTime() - t0) / 1_000_000);
    if (!process.listening()) {
      throw new AssertionError("hookbus did not start: " + process.log());
    }
    return process;
  }

  /** The dashboard's query, then by session and by model, then bounds inside hours, then the first one again. */
  private static void calls(WebClient client, int port, String phase, Map<String, Object> figures, long now) {
    long today = Math.floorDiv(now, DAY) * DAY;
    Map<String, Object> times = new LinkedHashMap<>();
    time(client, port, "/api/sessions", "firstRequestSessions", times); // the ingest path's own first-call cost
    time(client, port, "/api/usage?by=day&since=" + (today - 13 * DAY), "dashboardByDay", times);
    time(client, port, "/api/usage?by=session", "bySession", times);
    time(client, port, "/api/usage?by=model", "byModel", times);
    time(client, port, "/api/usage?by=model&since=" + (now - 3 * DAY + 1_234_567) + "&until=" + (now - DAY + 7_654),
        "byModelInsideHours", times);
    time(client, port, "/api/usage?by=day&since=" + (today - 13 * DAY), "dashboardByDayAgain", times);
    figures.put(phase, times);
  }

  private static void time(WebClient client, int port, String uri, String name, Map<String, Object> times) {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> response = result(client.get(port, "127.0.0.1", uri).timeout(180_000).send());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    times.put(name + "Ms", response.statusCode() == 200 ? ms : response.statusCode() + " after " + ms + " ms");
  }
}
