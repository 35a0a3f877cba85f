package dev.hookbus.approvals;

import dev.hookbus.bus.Addresses;
import dev.hookbus.support.BridgeClient;
import dev.hookbus.support.Eventually;
import dev.hookbus.support.HookbusProcess;
import dev.hookbus.support.SockJsWebSocketBridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.hookbus.support.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** A real hookbus process killed with -9 while an approval is pending. */
@ExtendWith(VertxExtension.class)
class ApprovalCrashTest {
  @TempDir
  Path dir;

  private final List<HookbusProcess> started = new ArrayList<>();

  @AfterEach
  void endProcesses() {
    started.forEach(HookbusProcess::destroyIfAlive);
  }

  private HookbusProcess start() throws Exception {
    HookbusProcess process = HookbusProcess.start(dir, new JsonObject()
        .put("ingest", new JsonObject().put("port", 0))
        .put("bridge", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString()).put("fsync", "always"))
        .encode());
    started.add(process);
    assertThat(process.listening()).as(process.log()).isTrue();
    return process;
  }

  @Test
  @DisplayName("kill -9 while an approval is pending: the restart has it expired (journaled), never half-decided,"
      + " and a decision after it is told EXPIRED")
  void killNineWhilePending(Vertx vertx) throws Exception {
    HookbusProcess first = start();
    WebClient http = WebClient.create(vertx);
    BridgeClient viewer = result(SockJsWebSocketBridgeClient.connect(vertx, first.bridgePort(), ""));
    result(viewer.register(Addresses.APPROVALS));
    result(Eventually.until(vertx, () -> http.get(first.ingestPort(), "127.0.0.1", "/api/approvals").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("deciders") == 1, Duration.ofSeconds(10)));
    http.post(first.ingestPort(), "127.0.0.1", "/api/hooks/claude")
        .sendJsonObject(ApprovalFlowTest.permissionRequest("s-crash"));
    String id = result(viewer.awaitCount(Addresses.APPROVALS, 1)).get(0).getJsonObject("payload").getString("id");
    first.kill9();
    first.waitForExit();

    HookbusProcess second = start();
    assertThat(second.log()).contains("expired 1 approvals left pending by the previous run");
    JsonObject now = result(http.get(second.ingestPort(), "127.0.0.1", "/api/approvals").send()).bodyAsJsonObject();
    assertThat(now.getJsonArray("approvals")).isEmpty();
    JsonArray expired = result(http.get(second.ingestPort(), "127.0.0.1", "/api/events?type=approval:expired").send())
        .bodyAsJsonObject().getJsonArray("events");
    assertThat(expired).hasSize(1);
    assertThat(expired.getJsonObject(0).getJsonObject("payload").getString("id")).isEqualTo(id);
    assertThat(expired.getJsonObject(0).getJsonObject("payload").getString("status")).isEqualTo("expired");
    assertThat(result(http.get(second.ingestPort(), "127.0.0.1", "/api/approvals?since=0").send()).bodyAsJsonObject()
        .getJsonArray("approvals")).as("nothing was decided").isEmpty();
    HttpResponse<Buffer> late = result(http.post(second.ingestPort(), "127.0.0.1", "/api/approvals/" + id)
        .sendJsonObject(new JsonObject().put("behavior", "allow")));
    assertThat(late.statusCode()).isEqualTo(410);

    second.sigterm();
    assertThat(second.waitForExit()).isZero();
    HookbusProcess third = start();
    assertThat(third.log()).as("the expiry was kept: nothing is left pending the next time")
        .doesNotContain("approvals left pending");
    third.sigterm();
    assertThat(third.waitForExit()).isZero();
  }
}
