package dev.hookbus.store;

import ch.qos.logback.classic.Level;
import dev.hookbus.support.CapturedLog;
import dev.hookbus.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.hookbus.support.Await.result;
import static dev.hookbus.support.TestServer.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk as the journal sees it (writes through {@link Disk} fail part-way, as a real ENOSPC does): ready says
 * so on both ports, the log says it once each way, and the refusals are counted.
 */
@ExtendWith(VertxExtension.class)
class FullDiskTest {
  private static final Pattern REFUSALS = Pattern.compile("(?m)^hookbus_store_refusals_total(?:\\{[^}]*})? (\\S+)$");
  private static final Pattern AVAILABLE = Pattern.compile("(?m)^hookbus_store_available(?:\\{[^}]*})? (\\S+)$");

  @TempDir
  Path dir;

  @Test
  @DisplayName("while the journal cannot be written /health/ready is 503 naming the store, one ERROR line, refusals counted; one kept write makes it ready again with one INFO line")
  void readyFollowsTheStore(Vertx vertx) {
    FillingDisk disk = new FillingDisk();
    TestServer hub = TestServer.options().store(dir).disk(disk).start(vertx);
    try (CapturedLog log = CapturedLog.start()) {
      hub.postEvent("session:start", new JsonObject().put("sessionId", "s1"));
      assertReady(hub, 200, "available");
      assertThat(metric(hub, AVAILABLE)).isEqualTo(1);

      disk.full(true);
      int refused = 0;
      for (int i = 0; i < 20; i++) {
        HttpResponse<Buffer> response = hub.postEvents(event("tool:pre", "s1", ",\"toolName\":\"Lost\""));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("STORE_UNAVAILABLE");
        refused++;
      }
      assertReady(hub, 503, "unavailable");
      assertThat(metric(hub, AVAILABLE)).isZero();
      assertThat(metric(hub, REFUSALS)).isEqualTo(refused);
      assertThat(log.lines(Level.WARN)).hasSize(1)
          .first().asString().startsWith("ERROR StoreHealth - the journal cannot be written (")
          .contains("No space left on device");

      disk.full(false);
      // Right after a refusal the state is still being rebuilt from the journal, and that refuses too.
      HttpResponse<Buffer> accepted;
      do {
        accepted = hub.postEvents(event("tool:pre", "s1", ",\"toolName\":\"Kept\""));
        refused += accepted.statusCode() == 503 ? 1 : 0;
      } while (accepted.statusCode() == 503 && refused < 10_000);
      assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(200);
      assertReady(hub, 200, "available");
      assertThat(metric(hub, AVAILABLE)).isEqualTo(1);
      assertThat(metric(hub, REFUSALS)).isEqualTo(refused);
      List<String> changes = log.lines(Level.INFO).stream().filter(line -> line.contains("StoreHealth")).toList();
      assertThat(changes).hasSize(2);
      assertThat(changes.get(1)).startsWith("INFO StoreHealth - the journal can be written again");
      assertThat(log.lines(Level.WARN)).hasSize(1);
    } finally {
      hub.stop();
    }
  }

  private static void assertReady(TestServer hub, int status, String store) {
    for (int port : new int[] {hub.ingestPort(), hub.bridgePort()}) {
      HttpResponse<Buffer> ready = result(hub.http().get(port, "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(status);
      assertThat(ready.bodyAsJsonObject().getString("store")).isEqualTo(store);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo(status == 200 ? "ready" : "not ready");
    }
  }

  private static long metric(TestServer hub, Pattern pattern) {
    String text = hub.get("/metrics").bodyAsString();
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as("metric %s in:%n%s", pattern, text).isTrue();
    return (long) Double.parseDouble(matcher.group(1));
  }
}
